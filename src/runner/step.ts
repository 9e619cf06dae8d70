import { runnerInterface } from '../generated/runner.js';
import { defineStep } from '../core/step.js';
import { UserError } from '../core/errors.js';
import type { Platform } from '../platform/types.js';
import { apiFor, down, gc, STATE_KEY, target, up, type Started } from './flows.js';
import { Inputs, Outputs, readRunnerInputs, type RunnerInputs } from './inputs.js';

export { Inputs, Outputs };

async function apiOrThrow(i: RunnerInputs, platform: Platform) {
  const api = await apiFor(i, platform);
  if (!api) throw new UserError(`no ${i.provider} token and scope to call the runner API with`);
  return api;
}

/**
 * `shipkit runner up|down|gc`: an ephemeral self-hosted runner (GitHub JIT or GitLab) in a
 * container, torn down by `down`, by the post step, or by a host-side `gc` once its TTL runs out.
 */
export const step = defineStep<RunnerInputs>({
  name: 'runner',
  summary: 'Start, stop and sweep ephemeral self-hosted runners (GitHub JIT / GitLab) in containers',
  inputs: Inputs,
  interface: runnerInterface,
  outputs: Outputs,
  getInputs: (reader) => readRunnerInputs(reader),
  async main(i, platform) {
    if (i.token) platform.setSecret(i.token);
    if (i.command === 'up') await up(i, platform, await apiOrThrow(i, platform));
    else if (i.command === 'down')
      await down(i, platform, await apiOrThrow(i, platform), target(i, platform.getState(STATE_KEY)));
    else await gc(i, platform, await apiFor(i, platform));
  },
  async post(i, platform) {
    if (i.token) platform.setSecret(i.token);
    const state = platform.getState(STATE_KEY);
    if (i.command !== 'up' || !state) return;
    if (!i.postDown) {
      platform.info(`post-down is false: leaving the runner to a later \`runner down\` or \`runner gc\``);
      return;
    }
    await down(i, platform, await apiOrThrow(i, platform), JSON.parse(state) as Started);
  },
  cli: {
    positional: [Inputs.command],
    usage: 'up|down|gc [--provider github|gitlab] [--runner-image IMAGE] [--label L] [--ttl 2h] …',
  },
});
