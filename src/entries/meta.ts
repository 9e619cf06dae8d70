import { runAction } from '../core/run.js';
import { step } from '../meta/step.js';

await runAction(step);
