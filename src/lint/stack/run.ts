import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import type { InputReader } from '../../core/inputs.js';
import { stepReader } from '../../core/interface.js';
import { lintInterface } from '../../generated/lint.js';
import type { Platform } from '../../platform/types.js';
import type { LintConfig } from '../config.js';
import type { FileResult } from '../formats/index.js';
import { pathKind } from '../discover.js';
import { finish } from '../lint.js';
import { lintStack } from './index.js';
import { defaultComposeFiles } from './model.js';
import { composeReader } from './resolved.js';

export const StackInputs = {
  stack: 'stack',
  composeFile: 'compose-file',
  certExpiryDays: 'cert-expiry-days',
} as const;

export interface StackLintInputs {
  /** `auto`: on for a directory holding a compose file, off for Dockerfile paths. */
  stack: 'auto' | 'true' | 'false';
  composeFiles: string[];
  certExpiryDays: number;
}

/** Reads the stack inputs; defaults and choices come from actions/lint/action.yml (the generated interface). */
export function getStackInputs(reader: InputReader): StackLintInputs {
  const r = stepReader(reader, lintInterface);
  return {
    stack: r.choice(StackInputs.stack),
    composeFiles: r.list(StackInputs.composeFile),
    certExpiryDays: r.int(StackInputs.certExpiryDays, { min: 0, max: 3650 }),
  };
}

/** A compose project to check: its directory and its compose files (relative to it). */
export interface Project {
  root: string;
  files: string[];
}

/**
 * Which projects the stack rules check. `compose-file` names them outright (the project is the
 * first file's folder); otherwise each directory linted (the cwd when no path is given) that holds
 * a compose file. `auto` is off when only files are given, so `shipkit lint Dockerfile` stays hadolint.
 */
export function stackProjects(inputs: StackLintInputs, paths: string[], cwd = process.cwd()): Project[] {
  if (inputs.stack === 'false') return [];
  if (inputs.composeFiles.length) {
    const first = resolve(cwd, inputs.composeFiles[0]);
    const root = dirname(first);
    for (const f of inputs.composeFiles)
      if (!existsSync(resolve(cwd, f)))
        throw new UserError(`no such compose file`, { file: f, field: `input "${StackInputs.composeFile}"` });
    return [{ root, files: inputs.composeFiles.map((f) => relative(root, resolve(cwd, f))) }];
  }
  const dirs =
    paths.length === 0
      ? [cwd]
      : paths.filter((p) => p !== '-' && pathKind(resolve(cwd, p)) === 'dir').map((p) => resolve(cwd, p));
  if (inputs.stack === 'true' && dirs.length === 0) dirs.push(cwd);
  const projects = dirs.flatMap((root) => {
    const files = defaultComposeFiles(root);
    return files.length ? [{ root, files }] : [];
  });
  if (inputs.stack === 'true' && projects.length === 0)
    throw new UserError(
      `stack is "true" but no compose file (compose.yaml, docker-compose.yml…) is in ${dirs.map((d) => relative(cwd, d) || '.').join(', ')}`,
      { field: `input "${StackInputs.stack}"` },
    );
  return projects;
}

/**
 * Runs the stack rules on each project and merges their findings into `results` (a Dockerfile the DL
 * rules linted gets its SK findings added; other files get results of their own). Pragmas, severity
 * overrides and ignores apply as for DL rules.
 */
export async function addStackFindings(
  results: FileResult[],
  projects: Project[],
  inputs: StackLintInputs,
  config: LintConfig,
  maxFileSize: number,
  env: Record<string, string | undefined>,
  platform?: Platform,
): Promise<number> {
  let checked = 0;
  const said = new Set<string>();
  for (const p of projects) {
    const options = { certDays: inputs.certExpiryDays, maxResolverValid: 30, maxFileSize, now: new Date() };
    const { reader, fallback } = await composeReader(p.root, p.files, env);
    // said once per run, not once per project
    const key = fallback?.startsWith('no compose binary') ? 'binary' : fallback;
    if (fallback && key && !said.has(key)) {
      said.add(key);
      platform?.info(`stack: ${fallback}`);
    }
    const { files, stack } = lintStack(p.root, p.files, options, env, reader);
    checked += stack.texts.size;
    if (config.verbose)
      platform?.info(
        `stack: ${stack.composeFiles.join(', ')}: ${stack.services.size} service(s), ${stack.balancers.length} load balancer(s), ${stack.texts.size} file(s) read`,
      );
    for (const f of files) {
      const findings = finish(f.findings, f.pragmas, config);
      const existing = results.find((r) => resolve(r.file) === resolve(f.file));
      if (existing && !existing.parseError)
        existing.findings = [...existing.findings, ...findings].sort((a, b) => a.line - b.line);
      else if (!existing && findings.length) results.push({ file: f.file, findings });
    }
  }
  return checked;
}
