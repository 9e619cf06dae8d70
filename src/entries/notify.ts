import { runAction } from '../core/run.js';
import { STEPS } from '../steps.js';

// The step comes in through the same dynamic import as in the CLI and dist/all: every bundle then
// starts from the same few shared chunks, and each step's code is one set of chunks (scripts/build.mjs).
await runAction(await STEPS['notify']());
