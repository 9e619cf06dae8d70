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

let detected: Promise<ComposeCommand> | undefined;

/** Finds the compose command once per process; throws when neither v2 nor v1 is installed. */
export function detectCompose(): Promise<ComposeCommand> {
  detected ??= (async () => {
    const v2 = await exec('docker', ['compose', 'version'], { check: false }).catch(() => undefined);
    if (v2?.code === 0) return { file: 'docker', prefix: ['compose'], version: 2 as const };
    const v1 = await exec('docker-compose', ['version', '--short'], { check: false }).catch(() => undefined);
    if (v1?.code === 0) return { file: 'docker-compose', prefix: [], version: 1 as const };
    detected = undefined;
    throw new Error('neither `docker compose` (v2) nor `docker-compose` (v1) is installed');
  })();
  return detected;
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
