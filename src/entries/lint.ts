import { runAction } from '../core/run.js';
import { step } from '../lint/step.js';

// A static import: the action loads its step with the runtime in one go (a dynamic import, as the CLI
// and dist/all use through src/steps.ts, costs an extra round of loading at start-up).
await runAction(step);
