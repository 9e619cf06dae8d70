/**
 * The Docker side of blue-green: the shared network, each colour's compose project, the LB's
 * project, and what is running right now (containers, health, addresses on the shared network).
 */
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compose, containersWithLabels, docker, inspect, type ComposeProject } from '../docker/cli.js';
import { StepFailure } from '../core/errors.js';
import { ExecError } from '../core/exec.js';
import { colourCompose, colourProject, lbCompose, lbProject, network, type AppSettings } from './plan.js';
import { writeAtomic, type Colour } from './state.js';
import { sleep } from '../io/time.js';

export interface Replica {
  id: string;
  hostname: string;
  running: boolean;
  /** `healthy`, `starting`, `unhealthy`, or `none` when the image has no healthcheck. */
  health: string;
  ip: string;
}

interface InspectedContainer {
  Id: string;
  Config: { Hostname: string };
  State: { Running: boolean; Health?: { Status: string } };
  NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
}

function project(s: AppSettings, name: string, file: string): ComposeProject {
  return { name, files: [file], directory: join(s.stateDir, 'compose') };
}

export function colourProjectOf(s: AppSettings, c: Colour): ComposeProject {
  return project(s, colourProject(s, c), join(s.stateDir, 'compose', `${c}.yml`));
}

export function lbProjectOf(s: AppSettings): ComposeProject {
  return project(s, lbProject(s), join(s.stateDir, 'compose', 'lb.yml'));
}

/** Creates the network both colours and the LB share, when missing. */
export async function ensureNetwork(s: AppSettings): Promise<void> {
  const found = await docker(['network', 'inspect', network(s)], { check: false });
  if (found.code === 0) return;
  await docker(['network', 'create', '--label', `io.shipkit.bluegreen.app=${s.name}`, network(s)]);
}

/** Replicas of one service of a compose project, with health and their address on the shared network. */
export async function replicasOf(s: AppSettings, projectName: string, service: string): Promise<Replica[]> {
  const ids = await containersWithLabels([
    `com.docker.compose.project=${projectName}`,
    `com.docker.compose.service=${service}`,
  ]);
  const found = await inspect<InspectedContainer>(ids, 'container');
  return found.map((c) => ({
    id: c.Id,
    hostname: c.Config.Hostname,
    running: c.State.Running,
    health: c.State.Health?.Status ?? 'none',
    ip: c.NetworkSettings.Networks[network(s)]?.IPAddress ?? '',
  }));
}

export function colourReplicas(s: AppSettings, c: Colour): Promise<Replica[]> {
  return replicasOf(s, colourProject(s, c), 'app');
}

/** Running replicas of a colour that are healthy (or have no healthcheck) and have an address. */
export async function servingReplicas(s: AppSettings, c: Colour): Promise<Replica[]> {
  const all = await colourReplicas(s, c);
  return all.filter((r) => r.running && r.ip && (r.health === 'healthy' || r.health === 'none'));
}

/**
 * The folder of the generated compose files, 0700: they hold the app's `env` values (often secrets).
 * Returns its path. The LB's config folder (`lb/`) is not here: nginx workers must read it.
 */
async function composeDir(s: AppSettings): Promise<string> {
  const dir = join(s.stateDir, 'compose');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700); // made 0755 by an older shipkit, or under a lax umask
  return dir;
}

/** Writes a colour's compose file (0600) and starts (or replaces) its replicas with `image`. */
export async function startColour(s: AppSettings, c: Colour, image: string, version: string): Promise<void> {
  const dir = await composeDir(s);
  await writeAtomic(join(dir, `${c}.yml`), colourCompose(s, c, image, version), 0o600);
  await compose(colourProjectOf(s, c), [
    'up',
    '-d',
    '--force-recreate',
    '--remove-orphans',
    '--scale',
    `app=${s.replicas}`,
  ]);
}

/** A progress line while a command waits (replica state changes, and a heartbeat every 10 s). */
export type Progress = (line: string) => void;

const HEARTBEAT_MS = 10_000;

/**
 * Waits until `replicas` replicas of a colour run and are healthy. Says each replica's state
 * change and, at least every 10 s, what it still waits for. Throws a `StepFailure` with the health
 * of each replica when one turns unhealthy for good, exits, or `timeoutMs` passes.
 */
export async function waitHealthy(
  s: AppSettings,
  c: Colour,
  timeoutMs: number,
  progress: Progress = () => {},
): Promise<Replica[]> {
  const start = Date.now();
  const deadline = start + timeoutMs;
  const said = new Map<string, string>();
  let beat = start;
  let seen: Replica[] = [];
  const stateOf = (r: Replica) => (r.running ? r.health : 'exited');
  while (Date.now() < deadline) {
    seen = await colourReplicas(s, c);
    for (const r of seen) {
      if (said.get(r.id) !== stateOf(r)) progress(`${c} replica ${r.hostname}: ${stateOf(r)}`);
      said.set(r.id, stateOf(r));
    }
    const ok = seen.filter((r) => r.running && r.ip && (r.health === 'healthy' || r.health === 'none'));
    if (ok.length >= s.replicas) return ok;
    if (seen.some((r) => !r.running)) break; // crashed: restart loops never become healthy in time
    if (Date.now() - beat >= HEARTBEAT_MS) {
      beat = Date.now();
      progress(
        `waiting for ${c} to be healthy: ${ok.length} of ${s.replicas} replicas after ${Math.round((beat - start) / 1000)} s (health-timeout ${Math.round(timeoutMs / 1000)} s)`,
      );
    }
    await sleep(500);
  }
  const table = seen.map((r) => `${r.hostname}: ${r.running ? r.health : 'exited'}`).join(', ');
  throw new StepFailure(
    `colour ${c} did not become healthy within ${Math.round(timeoutMs / 1000)}s (input health-timeout): ${table || 'no replicas'}`,
  );
}

/** The last lines of a colour's logs, for a failure report. */
export async function colourLogs(s: AppSettings, c: Colour, tail = 40): Promise<string> {
  const r = await compose(colourProjectOf(s, c), ['logs', '--no-color', '--tail', String(tail)], {
    check: false,
  });
  return (r.stdout + r.stderr).trim();
}

/** Stops a colour's replicas gracefully (SIGTERM: they drain) and removes them. */
export async function stopColour(s: AppSettings, c: Colour): Promise<void> {
  await compose(colourProjectOf(s, c), ['down', '--remove-orphans', '--timeout', '15'], { check: false });
}

/** Starts the LB's compose project, unless it runs already with the same compose file (compose is slow). */
export async function startLb(s: AppSettings): Promise<void> {
  const file = join(await composeDir(s), 'lb.yml');
  const text = lbCompose(s);
  const same = (await readFile(file, 'utf8').catch(() => '')) === text;
  if (same && (await lbContainer(s))) return;
  await writeAtomic(file, text, 0o600);
  await compose(lbProjectOf(s), ['up', '-d', '--remove-orphans']);
}

/** True when the LB's compose file on disk is what these settings generate. */
export async function lbComposeCurrent(s: AppSettings): Promise<boolean> {
  return (await readFile(join(s.stateDir, 'compose', 'lb.yml'), 'utf8').catch(() => '')) === lbCompose(s);
}

/** The LB container's id, or undefined when it is not running. */
export async function lbContainer(s: AppSettings): Promise<string | undefined> {
  const r = await replicasOf(s, lbProject(s), 'lb');
  return r.find((x) => x.running)?.id;
}

/** The last lines of the LB container's log (nginx's error log, HAProxy's messages). */
export async function lbLogs(s: AppSettings, tail = 200): Promise<string> {
  const id = await lbContainer(s);
  if (!id) return '';
  const r = await docker(['logs', '--tail', String(tail), id], { check: false });
  return r.stdout + r.stderr;
}

/** Runs a command inside the LB container. */
export async function lbExec(s: AppSettings, args: readonly string[], check = true) {
  // The container id is looked up once per process (two dockerd round trips saved per switch).
  let id = lbIds.get(lbProject(s)) ?? (await lbContainer(s));
  if (!id)
    throw new StepFailure(`the load balancer of ${s.name} is not running (compose project ${lbProject(s)})`);
  let r = await docker(['exec', id, ...args], { check: false });
  if (r.code !== 0 && /No such container|is not running/.test(r.stderr)) {
    id = await lbContainer(s);
    if (!id)
      throw new StepFailure(
        `the load balancer of ${s.name} is not running (compose project ${lbProject(s)})`,
      );
    r = await docker(['exec', id, ...args], { check: false });
  }
  lbIds.set(lbProject(s), id);
  if (check && r.code !== 0) throw new ExecError(`docker exec ${id.slice(0, 12)} ${args.join(' ')}`, r);
  return r;
}

const lbIds = new Map<string, string>();

/** Removes everything of the app: both colours, the LB and the network (tests and `teardown`). */
export async function removeAll(s: AppSettings): Promise<void> {
  await stopColour(s, 'blue');
  await stopColour(s, 'green');
  await compose(lbProjectOf(s), ['down', '--remove-orphans', '--timeout', '5'], { check: false });
  await docker(['network', 'rm', network(s)], { check: false });
}
