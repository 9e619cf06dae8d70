import { runAction } from '../core/run.js';
import { step } from '../lint/step.js';

await runAction(step);
