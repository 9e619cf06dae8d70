import { readFile } from 'node:fs/promises';
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

/** Reads a Dockerfile (`-` = stdin); an unreadable file is a UserError naming it. */
export async function readDockerfile(path: string, stdin: () => Promise<string>): Promise<string> {
  try {
    return path === '-' ? await stdin() : await readFile(path, 'utf8');
  } catch (err: unknown) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new UserError(`cannot read Dockerfile: ${why}`, { file: path });
  }
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
