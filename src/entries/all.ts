import { runAction, actionInputs } from '../core/run.js';
import { loadStep, STEP_SUMMARIES } from '../steps.js';
import * as core from '@actions/core';

// The all-in-one action: `with: step: <name>` picks the step; the other inputs are that step's.
const name = (actionInputs().get('step') ?? '').trim();
const step = await loadStep(name);
if (step) {
  await runAction(step);
} else {
  core.setFailed(
    `input "step": unknown step "${name}" (expected one of: ${Object.keys(STEP_SUMMARIES).join(', ')})`,
  );
}
