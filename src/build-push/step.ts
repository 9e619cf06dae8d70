import { defineStep } from '../core/step.js';
import { UserError } from '../core/errors.js';

// Placeholder until the build-push issue lands: declared so the registry, bundles and action.yml checks exist.
export const Inputs = {} as const;
export const Outputs = {} as const;

export const step = defineStep({
  name: 'build-push',
  summary: 'not implemented yet',
  inputs: Inputs,
  outputs: Outputs,
  getInputs: () => ({}),
  main: () => Promise.reject(new UserError('the build-push step is not implemented yet')),
});
