import { runAction } from '../core/run.js';
import { step } from '../runner/step.js';

await runAction(step);
