import { errorMessage, formatLocated, StepFailure, UserError } from './errors.js';
import { InputReader } from './inputs.js';
import { mapStack } from './source-maps.js';
import type { Step } from './step.js';
import type { InputSource, Platform } from '../platform/types.js';
import { GitHubPlatform } from '../platform/github.js';
import { GitLabPlatform } from '../platform/gitlab.js';
import { LocalPlatform } from '../platform/local.js';
import { detectCi, processEnv, type Env } from '../platform/context.js';

/** Exit codes of the CLI: 0 success, 1 the step found a problem or crashed, 2 bad input. */
export const ExitCode = { Ok: 0, Failed: 1, BadInput: 2 } as const;

/** GitHub's `INPUT_<NAME>` variables (spaces to `_`, upper case; dashes kept, as @actions/core reads them). */
export function actionInputs(env: Env = processEnv()): InputSource {
  return { get: (name) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] };
}

/** The platform for the CI system we run under. */
export async function platformFor(
  step: string,
  env: Env = processEnv(),
): Promise<Platform & { flush?(): Promise<void> }> {
  switch (detectCi(env)) {
    case 'github':
      return new GitHubPlatform(env);
    case 'gitlab':
      return new GitLabPlatform(env, step);
    default:
      return new LocalPlatform(env);
  }
}

/**
 * Runs one phase of a step and turns whatever it throws (including non-`Error` values) into a
 * reported failure and an exit code. A post phase only ever warns: cleanup must not fail a job.
 */
export async function execute(
  step: Step,
  source: InputSource,
  platform: Platform,
  phase: 'main' | 'post' = 'main',
): Promise<number> {
  try {
    await step.run(new InputReader(source), platform, phase);
    return ExitCode.Ok;
  } catch (err: unknown) {
    const message = errorMessage(err);
    if (phase === 'post') {
      platform.warning(`${step.name} cleanup: ${message}`);
      return ExitCode.Ok;
    }
    if (err instanceof UserError) {
      const { file, line, col, field } = err.location;
      // With a file, the annotation carries file:line (every platform prints or links it), so the
      // message keeps only the field; without one, the message says everything.
      if (file)
        platform.error(formatLocated(err.message, { field }), {
          file,
          line,
          col,
          title: `shipkit ${step.name}`,
        });
      else platform.error(message);
      return ExitCode.BadInput;
    }
    platform.error(message);
    if (!(err instanceof StepFailure) && err instanceof Error && err.stack)
      platform.debug(mapStack(err.stack));
    return ExitCode.Failed;
  } finally {
    await (platform as { flush?(): Promise<void> }).flush?.();
  }
}

/**
 * Entry of a bundled GitHub Action: runs `main`, or `post` when GitHub calls the same bundle again
 * after the job (recognised by the `isPost` state the main phase saved).
 */
export async function runAction(
  step: Step,
  env: Env = processEnv(),
  inputs: InputSource = actionInputs(env),
): Promise<void> {
  const platform = new GitHubPlatform(env);
  const isPost = env.STATE_isPost === 'true';
  if (!isPost && step.hasPost) platform.saveState('isPost', 'true');
  const code = await execute(step, inputs, platform, isPost ? 'post' : 'main');
  if (code !== ExitCode.Ok) process.exitCode = ExitCode.Failed;
}
