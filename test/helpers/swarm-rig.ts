import { execFile, execFileSync } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'swarm-rig.sh');

/** One node of the rig: its container name and the address of its dockerd (tcp, no TLS, rig network only). */
export interface RigNode {
  name: string;
  ip: string;
  dockerHost: string;
}

/** A rig as scripts/swarm-rig.sh lays it out; tests use prefix shipkit-itg-swarm on 10.233.0.0/24 by default. */
export interface Rig {
  prefix: string;
  subnet: string;
  nodes: RigNode[];
  managers: number;
  /** DOCKER_HOST of node 1, the manager that inits the swarm. */
  manager: string;
}

/** The rig of this test run, from SWARM_RIG_* (the script's own variables) with test defaults. */
export function rigConfig(env: NodeJS.ProcessEnv = process.env): Rig {
  const prefix = env.SWARM_RIG_PREFIX ?? 'shipkit-itg-swarm';
  const subnet = env.SWARM_RIG_SUBNET ?? '10.233.0';
  const count = Number(env.SWARM_RIG_NODES ?? 3);
  const nodes = Array.from({ length: count }, (_, i) => {
    const ip = `${subnet}.${11 + i}`;
    return { name: `${prefix}-node${i + 1}`, ip, dockerHost: `tcp://${ip}:2375` };
  });
  return {
    prefix,
    subnet,
    nodes,
    // Three managers: the manager-change drills need a quorum that survives one node leaving.
    managers: Number(env.SWARM_RIG_MANAGERS ?? 3),
    manager: nodes[0].dockerHost,
  };
}

function rigEnv(rig: Rig): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SWARM_RIG_PREFIX: rig.prefix,
    SWARM_RIG_SUBNET: rig.subnet,
    SWARM_RIG_NODES: String(rig.nodes.length),
    SWARM_RIG_MANAGERS: String(rig.managers),
  };
  delete env.DOCKER_HOST;
  return env;
}

function script(rig: Rig, args: string[], timeoutMs = 600_000): string {
  const env = rigEnv(rig);
  return execFileSync('bash', [SCRIPT, ...args], {
    env,
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts the rig (reusing nodes that run) and loads `images` from the host into every node. */
export function rigUp(rig: Rig, images: readonly string[] = []): void {
  // Its phase times and memory go to the test log (stderr): the figures issue 14 asks to record.
  execFileSync('bash', [SCRIPT, 'up', ...images], {
    env: rigEnv(rig),
    timeout: 600_000,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Removes nodes, volumes and network; never throws (it runs in teardown). Async: it must not block vitest. */
export function rigDown(rig: Rig): Promise<void> {
  return new Promise((resolve) => {
    execFile('bash', [SCRIPT, 'down'], { env: rigEnv(rig), timeout: 120_000 }, () => resolve());
  });
}

/** `docker stop` of node i (1-based): its dockerd and all its tasks go away, as a crashed machine's would. */
export function stopNode(rig: Rig, i: number): void {
  script(rig, ['stop-node', String(i)], 60_000);
}

/** Starts node i again and waits for its dockerd. */
export function startNode(rig: Rig, i: number): void {
  script(rig, ['start-node', String(i)], 120_000);
}

/** Runs `docker <args>` against node i (default: the manager) and returns stdout. */
export function onNode(rig: Rig, args: readonly string[], i = 1): string {
  return execFileSync('docker', args, {
    env: { ...process.env, DOCKER_HOST: rig.nodes[i - 1].dockerHost },
    encoding: 'utf8',
    timeout: 120_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Waits (bounded) until the manager sees every node Ready and every manager Leader or Reachable: a node
 * that returned, an election, a promotion or demotion is over. Throws naming what still lags.
 */
export async function rigSettled(rig: Rig, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const rows = onNode(rig, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'])
        .trim()
        .split('\n');
      const lag = rows.filter((r) => {
        const [, status, manager] = r.split(' ');
        return status !== 'Ready' || (manager !== undefined && !['Leader', 'Reachable'].includes(manager));
      });
      if (rows.length === rig.nodes.length && !lag.length) return;
      last = lag.join(', ') || `${rows.length} of ${rig.nodes.length} nodes listed`;
    } catch (err: unknown) {
      last = (err as Error).message.split('\n')[0];
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the swarm did not settle within ${timeoutMs / 1000} s: ${last}`);
}

/**
 * Waits until no node lists any of `networks` any more (a node drops an overlay network only once its
 * last task on it is gone; the next stack may be given the same subnet, which a node that still holds
 * the old network refuses: "Pool overlaps with other one on this address space").
 */
export async function networksGone(
  rig: Rig,
  networks: readonly string[],
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let left: string[] = [];
  for (;;) {
    left = [];
    for (let i = 1; i <= rig.nodes.length; i++) {
      let names: string[];
      try {
        names = onNode(rig, ['network', 'ls', '--format', '{{.Name}}'], i).split('\n');
      } catch {
        continue; // a stopped node: it drops its tasks' networks when it starts again
      }
      for (const n of networks) if (names.includes(n)) left.push(`${n} on ${rig.nodes[i - 1].name}`);
    }
    if (!left.length) return;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`networks still on nodes after ${timeoutMs / 1000} s: ${left.join(', ')}`);
}

/** Why swarm tests cannot run here, or undefined (docker answers and the rig's manager is a swarm manager). */
export function rigMissing(rig: Rig): string | undefined {
  try {
    const state = onNode(rig, ['info', '-f', '{{.Swarm.ControlAvailable}}']).trim();
    return state === 'true' ? undefined : `rig manager ${rig.manager} is not a swarm manager`;
  } catch {
    return `the swarm rig ${rig.prefix} is not up (vitest.swarm.config.ts starts it)`;
  }
}

/** GET a URL on a fresh connection (no keep-alive pool that outlives a node); the body, or undefined. */
export function getText(url: string, timeoutMs = 1000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve(res.statusCode === 200 ? body : undefined));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}
