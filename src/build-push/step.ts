import { buildPushInterface } from '../generated/build-push.js';
import { existsSync } from 'node:fs';
import { defineStep } from '../core/step.js';
import { processEnv } from '../platform/context.js';
import { getInputs, Inputs, Outputs } from './inputs.js';
import { logout } from './login.js';
import { buildPush, State } from './run.js';
import type { ResolveMeta } from './targets.js';

export { Inputs, Outputs };

/**
 * The build-push step. `resolveMeta` is the seam to the meta step: when given, `images` (single image)
 * or an empty `tags` (compose) take tags and labels from meta; tests pass their own resolver.
 */
export function makeStep(resolveMeta?: ResolveMeta) {
  return defineStep({
    name: 'build-push',
    summary: 'Log in, build and push images with retries, digests and a size budget',
    inputs: Inputs,
    interface: buildPushInterface,
    outputs: Outputs,
    // The environment (compose interpolation, CI registry credentials) is read with the inputs.
    getInputs: (reader) => ({ ...getInputs(reader), env: processEnv() }),
    async main({ env, ...inputs }, platform) {
      await buildPush(inputs, platform, { env, cwd: process.cwd(), resolveMeta });
    },
    // The main step already logs out of its private docker config; this catches a killed main step.
    async post(_inputs, platform) {
      const dir = platform.getState(State.dockerConfig);
      const registry = platform.getState(State.registry);
      if (dir && existsSync(dir)) await logout(registry, dir, platform);
      else platform.info(registry ? `Already logged out of ${registry}` : 'No registry login to undo');
    },
    cli: {
      positional: [Inputs.context],
      aliases: { '-t': Inputs.tags, '-f': Inputs.file },
      switches: [Inputs.push, Inputs.noCache, Inputs.logout, Inputs.cache, Inputs.provenance],
      usage: '[context] -t registry/name:tag [--compose-file file] [--max-size 15MB]',
    },
  });
}

/** The step as shipped: tags and labels come from meta when only `images` (or no `tags`) is given. */
export const step = makeStep(async (req) => {
  const meta = await import('../meta/index.js');
  return meta.computeMeta(req, await meta.metaContextFromEnv(processEnv()));
});
