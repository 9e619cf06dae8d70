import { runAction } from '../core/run.js';
import { step } from '../notify/step.js';

await runAction(step);
