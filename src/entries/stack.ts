import { runAction } from '../core/run.js';
import { step } from '../stack/step.js';

await runAction(step);
