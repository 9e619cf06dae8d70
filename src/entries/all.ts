import { runAction, actionInputs, ExitCode } from '../core/run.js';
import { defaultsOf } from '../core/interface.js';
import { withStepDefaults } from '../core/step-defaults.js';
import { loadStep, STEP_SUMMARIES } from '../steps.js';
import { processEnv } from '../platform/context.js';
import { GitHubPlatform } from '../platform/github.js';

// The all-in-one action: `with: step: <name>` picks the step; the other inputs are that step's, with
// that step's defaults (from its generated interface, src/generated/<step>.ts, built from its action.yml).
const inputs = actionInputs();
const name = (inputs.get('step') ?? '').trim();
const step = await loadStep(name);
if (step) {
  await runAction(
    step,
    undefined,
    withStepDefaults(inputs, defaultsOf(step.iface), inputs.get('workflow-token')),
  );
} else {
  // Through the platform, as a step reports (@actions/core's setFailed pulled its summary, command and
  // exec helpers into this bundle for one line).
  new GitHubPlatform(processEnv()).error(
    `input "step": unknown step "${name}" (expected one of: ${Object.keys(STEP_SUMMARIES).join(', ')})`,
  );
  process.exitCode = ExitCode.Failed;
}
