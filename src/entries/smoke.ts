import { runAction } from '../core/run.js';
import { step } from '../smoke/step.js';

await runAction(step);
