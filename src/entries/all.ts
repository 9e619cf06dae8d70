import { runAction, actionInputs } from '../core/run.js';
import { withStepDefaults } from '../core/step-defaults.js';
import { loadStep, STEP_ALIASES, STEP_SUMMARIES } from '../steps.js';
import * as core from '@actions/core';

// The all-in-one action: `with: step: <name>` picks the step; the other inputs are that step's, with
// that step's defaults (read from actions/<step>/action.yml, which GitHub checks out with this bundle).
const inputs = actionInputs();
const name = (inputs.get('step') ?? '').trim();
const step = await loadStep(name);
if (step) {
  const key = STEP_ALIASES[name] ?? name;
  const { actionDefaults } = await import('../core/action-defaults.js');
  const defaults = await actionDefaults(new URL(`../../actions/${key}/action.yml`, import.meta.url));
  await runAction(step, undefined, withStepDefaults(inputs, defaults, inputs.get('workflow-token')));
} else {
  core.setFailed(
    `input "step": unknown step "${name}" (expected one of: ${Object.keys(STEP_SUMMARIES).join(', ')})`,
  );
}
