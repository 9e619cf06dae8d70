import { runAction } from '../core/run.js';
import { step } from '../build-push/step.js';

await runAction(step);
