import { defineStep } from '../core/step.js';
import { UserError } from '../core/errors.js';

// Placeholder until the lint issue lands: declared so the registry, bundles and action.yml checks exist.
export const Inputs = {} as const;
export const Outputs = {} as const;

export const step = defineStep({
  name: 'lint',
  summary: 'not implemented yet',
  inputs: Inputs,
  outputs: Outputs,
  getInputs: () => ({}),
  main: () => Promise.reject(new UserError('the lint step is not implemented yet')),
});
