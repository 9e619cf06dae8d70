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
  script(rig, ['up', ...images]);
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
