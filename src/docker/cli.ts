import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { exec, type ExecOptions, type ExecResult } from '../core/exec.js';

/** Runs `docker <args>`. Throws `ExecError` on failure unless `check: false`. */
export function docker(args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return exec('docker', args, opts);
}

/** The compose command on this host: `docker compose` (v2) when present, else `docker-compose` (v1). */
export interface ComposeCommand {
  file: string;
  prefix: readonly string[];
  version: 1 | 2;
}

export const COMPOSE_V1: ComposeCommand = { file: 'docker-compose', prefix: [], version: 1 };
export const COMPOSE_V2: ComposeCommand = { file: 'docker', prefix: ['compose'], version: 2 };

/** True when `docker compose version` works (v2: a Go plugin, quick to ask). */
async function hasComposeV2(): Promise<boolean> {
  const v2 = await exec('docker', ['compose', 'version'], { check: false }).catch(() => undefined);
  return v2?.code === 0;
}

let detected: Promise<ComposeCommand> | undefined;

/** Finds the compose command once per process; throws when neither v2 nor v1 is installed. */
export function detectCompose(): Promise<ComposeCommand> {
  detected ??= (async () => {
    if (await hasComposeV2()) return COMPOSE_V2;
    const v1 = await exec('docker-compose', ['version', '--short'], { check: false }).catch(() => undefined);
    if (v1?.code === 0) return COMPOSE_V1;
    detected = undefined;
    throw new Error('neither `docker compose` (v2) nor `docker-compose` (v1) is installed');
  })();
  return detected;
}

let found: Promise<ComposeCommand> | undefined;

/**
 * The compose command, like `detectCompose()` but without running `docker-compose version`: v1 is
 * a Python program whose start costs 0.5–5 s on a busy runner, and stack's `up` already pays for two
 * (the pre-flight `config` and `up`). `docker compose version` (Go, fast) decides v2; otherwise a
 * `docker-compose` on `path` (a PATH value) is taken as v1 and the caller's first compose command
 * proves that it works. Falls back to `detectCompose()` (and its error) when neither is found.
 */
export function findCompose(path: string): Promise<ComposeCommand> {
  found ??= (async () => {
    if (await hasComposeV2()) return COMPOSE_V2;
    const dirs = path.split(delimiter).filter(Boolean);
    if (dirs.some((d) => existsSync(join(d, 'docker-compose')))) return COMPOSE_V1;
    return detectCompose();
  })();
  return found;
}

export interface ComposeProject {
  /** Compose project name (`-p`). */
  name: string;
  /** Compose files (`-f`), in order. */
  files: readonly string[];
  /** Project directory; defaults to the first file's folder, as compose does. */
  directory?: string;
  envFiles?: readonly string[];
  profiles?: readonly string[];
}

/** The global arguments that select a project: `-p`, `-f`…, `--project-directory`, `--env-file`, `--profile`. */
export function composeArgs(p: ComposeProject): string[] {
  const args = ['-p', p.name];
  for (const f of p.files) args.push('-f', f);
  if (p.directory) args.push('--project-directory', p.directory);
  for (const e of p.envFiles ?? []) args.push('--env-file', e);
  for (const pr of p.profiles ?? []) args.push('--profile', pr);
  return args;
}

/** Runs `docker compose …` or `docker-compose …` for a project. */
export async function compose(
  project: ComposeProject,
  args: readonly string[],
  opts: ExecOptions = {},
): Promise<ExecResult> {
  const cmd = await detectCompose();
  return exec(cmd.file, [...cmd.prefix, ...composeArgs(project), ...args], opts);
}

/** Ids of containers that carry every given label (`key=value` or bare `key`), including stopped ones. */
export async function containersWithLabels(labels: readonly string[]): Promise<string[]> {
  const args = ['ps', '-aq', '--no-trunc', ...labels.flatMap((l) => ['--filter', `label=${l}`])];
  const r = await docker(args);
  return r.stdout.split('\n').filter(Boolean);
}

/** `docker inspect` of one or more objects, parsed. */
export async function inspect<T = Record<string, unknown>>(
  ids: readonly string[],
  type?: string,
): Promise<T[]> {
  if (ids.length === 0) return [];
  const r = await docker(['inspect', ...(type ? ['--type', type] : []), ...ids]);
  return JSON.parse(r.stdout) as T[];
}
