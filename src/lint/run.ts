import { readFile, stat } from 'node:fs/promises';
import { UserError } from '../core/errors.js';
import type { Platform } from '../platform/types.js';
import type { LintConfig } from './config.js';
import type { FileResult } from './formats/index.js';
import { analyse, finish, parseErrorFinding, ruleOptions, type Analysis } from './lint.js';
import { runShellcheck } from './shellcheck.js';

export interface LintRun {
  results: FileResult[];
  /** ShellCheck was wanted but is not on PATH. */
  shellcheckMissing: boolean;
}

/**
 * The default of `max-file-size`: 1 MiB. Real Dockerfiles stay far below (hadolint's own test
 * corpus tops out around 30 KB); ShellCheck costs a few ms per RUN, so a 10 MB file of RUN lines
 * would take minutes and gigabytes. Bigger files are refused up front (exit 2).
 */
export const MAX_FILE_SIZE = 1024 * 1024;

function bytes(n: number): string {
  const [v, unit] =
    n >= 1024 * 1024 ? [n / 1024 / 1024, 'MiB'] : n >= 1024 ? [n / 1024, 'KiB'] : [n, 'bytes'];
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;
}

/**
 * Reads a Dockerfile (`-` = stdin). An unreadable file, or one larger than `maxBytes` (checked
 * before reading it), is a UserError naming it.
 */
export async function readDockerfile(
  path: string,
  stdin: () => Promise<string>,
  maxBytes = MAX_FILE_SIZE,
): Promise<string> {
  const tooBig = (size: number) =>
    new UserError(
      `not linted: the file is ${bytes(size)}, above the ${bytes(maxBytes)} limit (input "max-file-size")`,
      { file: path },
    );
  let text: string;
  try {
    if (path !== '-') {
      const { size } = await stat(path);
      if (size > maxBytes) throw tooBig(size);
    }
    text = path === '-' ? await stdin() : await readFile(path, 'utf8');
  } catch (err: unknown) {
    if (err instanceof UserError) throw err;
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new UserError(`cannot read Dockerfile: ${why}`, { file: path });
  }
  const size = Buffer.byteLength(text);
  if (size > maxBytes) throw tooBig(size);
  return text;
}

/**
 * Lints every file: DL rules per file, then ONE shellcheck process for all RUN bodies of all files,
 * then pragmas, overrides and ignores. Reads every file before linting any (nothing half-done).
 */
export async function lintFiles(
  files: { path: string; text: string }[],
  config: LintConfig,
  useShellcheck: boolean,
  platform?: Platform,
  shellcheckBinary = 'shellcheck',
): Promise<LintRun> {
  const analyses: Analysis[] = files.map((f) => analyse(f.text, ruleOptions(config)));
  let shellcheckMissing = false;
  const jobs = analyses.flatMap((a, k) => a.jobs.map((job) => ({ k, job })));
  if (useShellcheck && jobs.length > 0) {
    const found = await runShellcheck(
      jobs.map((j) => j.job),
      shellcheckBinary,
    );
    if (found) found.forEach((list, n) => analyses[jobs[n].k].findings.push(...list));
    else {
      shellcheckMissing = true;
      platform?.warning(
        'shellcheck is not on PATH: RUN instructions were not checked by ShellCheck (SC codes)',
      );
    }
  }
  const results = files.map((f, k): FileResult => {
    const a = analyses[k];
    if (a.parseError) return { file: f.path, findings: [parseErrorFinding(a.parseError)], parseError: true };
    return { file: f.path, findings: finish(a.findings, a.pragmas, config) };
  });
  return { results, shellcheckMissing };
}
