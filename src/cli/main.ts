import { execute, ExitCode, platformFor } from '../core/run.js';
import { errorMessage } from '../core/errors.js';
import { loadStep, STEP_ALIASES, STEP_SUMMARIES } from '../steps.js';
import { parseArgs } from './args.js';
import { closest, environmentUsage, stepUsage } from './help.js';
import { VERSION } from '../version.js';

function usage(): string {
  const width = Math.max(...Object.keys(STEP_SUMMARIES).map((s) => s.length));
  const rows = Object.entries(STEP_SUMMARIES).map(([name, text]) => `  ${name.padEnd(width)}  ${text}`);
  return [
    'Usage: shipkit <step> [options]',
    '',
    'Steps:',
    ...rows,
    '',
    "Options are the inputs of the step's action.yml: --name value (repeat a flag for multi-line inputs).",
    "Run `shipkit <step> --help` for a step's options. Exit codes: 0 ok, 1 failed, 2 bad input.",
    '',
    'Environment:',
    ...environmentUsage(),
  ].join('\n');
}

/**
 * Makes a closed stdout or stderr (`shipkit … | head`) quiet: the reader has gone, so further
 * output is dropped and the command finishes with its own exit code — never an EPIPE stack trace,
 * and never a deploy cut short halfway because nobody reads its log any more.
 */
export function quietOnBrokenPipe(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]) {
  for (const stream of streams) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
      // Writes after the reader left must not throw either: drop them.
      stream.write = (...args: unknown[]): boolean => {
        const cb = args.find((a) => typeof a === 'function') as (() => void) | undefined;
        cb?.();
        return true;
      };
    });
  }
}

/** The `shipkit` command line: `shipkit <step> [options]`. Returns the exit code. */
export async function cli(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? ExitCode.Ok : ExitCode.BadInput;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`shipkit ${VERSION}\n`);
    return ExitCode.Ok;
  }
  const step = await loadStep(name);
  if (!step) {
    const guess = closest(name, [...Object.keys(STEP_SUMMARIES), ...Object.keys(STEP_ALIASES)]);
    const hint = guess ? ` Did you mean "${STEP_ALIASES[guess] ?? guess}"?` : '';
    process.stderr.write(
      `shipkit: unknown step "${name}" (expected one of: ${Object.keys(STEP_SUMMARIES).join(', ')}).${hint}\n`,
    );
    return ExitCode.BadInput;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(stepUsage(step) + '\n');
    return ExitCode.Ok;
  }
  const platform = await platformFor(step.name);
  let source;
  try {
    source = parseArgs(rest, step.inputNames, step.cli);
  } catch (err: unknown) {
    platform.error(errorMessage(err));
    return ExitCode.BadInput;
  }
  return execute(step, source, platform, 'main');
}
