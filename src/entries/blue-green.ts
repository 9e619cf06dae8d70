import { runAction } from '../core/run.js';
import { step } from '../blue-green/step.js';

await runAction(step);
