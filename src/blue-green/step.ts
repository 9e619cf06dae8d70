import { blueGreenInterface } from '../generated/blue-green.js';
import { defineStep } from '../core/step.js';
import type { Platform } from '../platform/types.js';
import type { SmokeRunner } from '../smoke/api.js';
import { runCommand, statusText, type CommandResult } from './commands.js';
import type { Ctx, Deps } from './context.js';
import { githubDeployments } from './deployments.js';
import { lbHost } from './lb.js';
import { backendsFor } from './backends.js';
import { Journal } from './journal.js';
import { writeSummary } from './summary-run.js';
import { testSnippet } from './validate.js';
import { Inputs, Outputs, getInputs, type BlueGreenInputs } from './inputs.js';

export { getInputs, Inputs, Outputs, type BlueGreenInputs };

/**
 * Runs a command; smoke tests go through the smoke step's `runSmoke` unless a test passes its own, and
 * `hooks` (tests that kill a command halfway) are called at named points of a switch.
 */
export async function runBlueGreen(
  inputs: BlueGreenInputs,
  platform: Platform,
  // The smoke client loads when a smoke test starts: a promote switches before its smoke test.
  smoke: SmokeRunner = async (o) => (await import('../smoke/index.js')).runSmoke(o),
  hooks?: Deps['hooks'],
): Promise<void> {
  // For profiles: how long node and the bundle took to start (meaningful when the CLI started this process).
  platform.debug(`process up ${Math.round(performance.now())} ms before the command started`);
  if (inputs.github) platform.setSecret(inputs.github.token);
  const deps: Deps = { smoke, deployments: githubDeployments(inputs.github), hooks };
  const c: Ctx = {
    s: inputs.settings,
    o: inputs.options,
    platform,
    deps,
    ...backendsFor(
      inputs.settings,
      (line) => platform.warning(line),
      (l) => platform.info(l),
    ),
    by: inputs.by,
    journal: new Journal(),
  };
  const s = inputs.settings;
  const host = lbHost(s);
  platform.setOutput(Outputs.url, `http://${host}:${s.port}/`);
  platform.setOutput(Outputs.previewUrl, `http://${host}:${s.previewPort}/`);
  // lb-snippet is raw config: the LB's own test passes before any command changes anything.
  if (!['status', 'destroy', 'abort'].includes(inputs.command))
    await testSnippet(inputs.settings, Inputs.lbSnippet);
  let r: CommandResult;
  try {
    r = await runCommand(c, inputs.command);
  } catch (err: unknown) {
    await writeSummary(c, inputs, undefined, err);
    throw err;
  }
  await writeSummary(c, inputs, r);
  platform.setOutput(Outputs.liveColour, r.live ?? '');
  platform.setOutput(Outputs.idleColour, r.idle);
  platform.setOutput(Outputs.liveVersion, r.liveVersion);
  platform.setOutput(Outputs.previousColour, r.previous ?? '');
  platform.setOutput(Outputs.switchMs, r.switchMs ?? '');
  platform.setOutput(Outputs.status, JSON.stringify(r.status));
  if (inputs.command === 'status') {
    platform.info(
      inputs.options.format === 'json' ? JSON.stringify(r.status, null, 2) : statusText(r.status),
    );
  }
}

export const step = defineStep({
  name: 'blue-green',
  summary: 'Deploy to the idle colour, smoke-test it, promote by hand, roll back in seconds, abort, status',
  inputs: Inputs,
  interface: blueGreenInterface,
  outputs: Outputs,
  getInputs: (reader) => getInputs(reader),
  main: (inputs, platform) => runBlueGreen(inputs, platform),
  cli: {
    positional: [Inputs.command],
    aliases: { '-i': Inputs.image, '-n': Inputs.name },
    switches: [Inputs.autoPromote],
    usage:
      'deploy|promote|rollback|abort|status|destroy [--image ref] [--name app] [--lb nginx|haproxy] [options]',
  },
});
