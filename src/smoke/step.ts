import { defineStep } from '../core/step.js';
import { UserError } from '../core/errors.js';

// Placeholder until the smoke issue lands: declared so the registry, bundles and action.yml checks exist.
export const Inputs = {} as const;
export const Outputs = {} as const;

export const step = defineStep({
  name: 'smoke',
  summary: 'not implemented yet',
  inputs: Inputs,
  outputs: Outputs,
  getInputs: () => ({}),
  main: () => Promise.reject(new UserError('the smoke step is not implemented yet')),
});
