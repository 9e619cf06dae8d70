import { sleep } from '../io/time.js';
import { docker, inspect } from '../docker/cli.js';

/** Labels every runner container carries, so a host-side gc can remove it without any API. */
export const Labels = {
  kind: 'dev.shipkit.kind',
  ttl: 'dev.shipkit.ttl',
  created: 'dev.shipkit.created',
  owner: 'dev.shipkit.owner',
  provider: 'dev.shipkit.runner.provider',
  label: 'dev.shipkit.runner.label',
  name: 'dev.shipkit.runner.name',
  id: 'dev.shipkit.runner.id',
} as const;

export interface RunnerContainerSpec {
  /** Container name (the runner name: prefix, label and creation time). */
  name: string;
  image: string;
  /** Command after the image; empty keeps the image's own CMD. */
  command: readonly string[];
  /** Plain environment, visible in `docker inspect` and fine to log. */
  env: Readonly<Record<string, string>>;
  /**
   * Secret environment (the JIT config, the runner token): passed by name only (`-e NAME`), its value
   * reaching `docker run` through the client's environment, so it is never on a command line.
   */
  secretEnv: Readonly<Record<string, string>>;
  labels: Readonly<Record<string, string>>;
  volumes: readonly string[];
  privileged: boolean;
  network?: string;
}

/** The `docker run` arguments for a runner container (pure; no secret values in them). */
export function runArgs(spec: RunnerContainerSpec): string[] {
  const args = ['run', '-d', '--name', spec.name, '--restart', 'no'];
  for (const [k, v] of Object.entries(spec.labels)) args.push('--label', `${k}=${v}`);
  for (const [k, v] of Object.entries(spec.env)) args.push('-e', `${k}=${v}`);
  for (const k of Object.keys(spec.secretEnv)) args.push('-e', k);
  for (const v of spec.volumes) args.push('-v', v);
  if (spec.privileged) args.push('--privileged');
  if (spec.network) args.push('--network', spec.network);
  args.push(spec.image, ...spec.command);
  return args;
}

/** Starts a runner container; returns its id. Throws `ExecError` (secret values redacted by `redact`). */
export async function startContainer(
  spec: RunnerContainerSpec,
  redact: (t: string) => string,
): Promise<string> {
  const r = await docker(runArgs(spec), { env: { ...spec.secretEnv }, redact, timeoutMs: 120_000 });
  return r.stdout.trim();
}

/** The full id of a container by name or id, or `undefined` when there is none. */
export async function containerId(nameOrId: string): Promise<string | undefined> {
  const r = await docker(['inspect', '--type', 'container', '--format', '{{.Id}}', nameOrId], {
    check: false,
  });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/**
 * Removes a container (running or not) with its anonymous volumes; true when it existed. Existence
 * is checked first because `docker rm -f` exits 0 for a missing container on recent engines.
 */
export async function removeContainer(nameOrId: string): Promise<boolean> {
  const id = await containerId(nameOrId);
  if (!id) return false;
  const r = await docker(['rm', '-f', '-v', id], { check: false });
  if (r.code === 0) return true;
  if (/no such container/i.test(r.stderr)) return false;
  throw new Error(`docker rm ${nameOrId}: ${r.stderr.trim()}`);
}

export interface RunnerContainer {
  id: string;
  name: string;
  running: boolean;
  /** Docker's state: created, running, exited, dead… */
  status: string;
  labels: Record<string, string>;
}

interface Inspected {
  Id: string;
  Name: string;
  State: { Running: boolean; Status: string };
  Config: { Labels: Record<string, string> | null };
}

/** Runner containers of ours on this host (label `dev.shipkit.kind=runner`), optionally only one label's. */
export async function listRunnerContainers(runnerLabel?: string): Promise<RunnerContainer[]> {
  const filters = ['--filter', `label=${Labels.kind}=runner`];
  if (runnerLabel) filters.push('--filter', `label=${Labels.label}=${runnerLabel}`);
  const r = await docker(['ps', '-aq', '--no-trunc', ...filters]);
  const ids = r.stdout.split('\n').filter(Boolean);
  const found = await inspect<Inspected>(ids, 'container').catch(() => [] as Inspected[]);
  return found.map((c) => ({
    id: c.Id,
    name: c.Name.replace(/^\//, ''),
    running: c.State.Running,
    status: c.State.Status,
    labels: c.Config.Labels ?? {},
  }));
}

/** True when a container's own TTL label has run out (containers without readable labels never are). */
export function containerExpired(labels: Readonly<Record<string, string>>, now: number): boolean {
  const created = Number(labels[Labels.created]);
  const ttl = Number(labels[Labels.ttl]);
  if (!Number.isFinite(created) || !Number.isFinite(ttl) || !labels[Labels.created] || !labels[Labels.ttl]) {
    return false;
  }
  return now >= (created + ttl) * 1000;
}

/** Waits until a container exits (the runner took its one job) or `timeoutMs` passes; true when it exited. */
export async function waitForExit(nameOrId: string, timeoutMs: number): Promise<boolean> {
  const r = await docker(['wait', nameOrId], { check: false, timeoutMs });
  return !r.timedOut && r.code === 0;
}

/**
 * Checks that a just-started runner container is still running after `graceMs` (a wrong image or
 * command exits at once). Returns `undefined` when it runs, else its exit code and last log lines.
 */
export async function startupProblem(
  nameOrId: string,
  graceMs: number,
): Promise<{ exitCode: number; logs: string } | undefined> {
  await sleep(graceMs);
  const r = await docker(['inspect', '--format', '{{.State.Running}} {{.State.ExitCode}}', nameOrId], {
    check: false,
  });
  const [running, code] = r.stdout.trim().split(' ');
  if (r.code === 0 && running === 'true') return undefined;
  const logs = await docker(['logs', '--tail', '20', nameOrId], { check: false });
  return { exitCode: Number(code ?? -1), logs: (logs.stdout + logs.stderr).trim() };
}
