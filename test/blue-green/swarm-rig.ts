/**
 * The three-node Swarm rig (scripts/swarm-rig.sh) as the blue-green Swarm tests and the benchmark
 * use it: one rig per test file, three managers, its own name prefix and subnet.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DockerApi, dockerEndpoint } from '../../src/docker/api.js';

const root = join(import.meta.dirname, '..', '..');
export const RIG_SCRIPT = join(root, 'scripts', 'swarm-rig.sh');

export interface Rig {
  prefix: string;
  subnet: string;
  /** Node i (1-based): container name, address, DOCKER_HOST. */
  node(i: number): { name: string; ip: string; dockerHost: string };
  api(i: number): DockerApi;
  up(images: readonly string[]): void;
  down(): void;
  /** `docker pause`/`unpause`/`stop`/`start` of a node container (the start waits for its dockerd). */
  fault(action: 'pause' | 'unpause' | 'stop-node' | 'start-node', i: number): void;
  /** Waits until node `via` sees every node ready (a manager change or a node's return settled). */
  settled(via: number, timeoutMs?: number): Promise<void>;
}

/** The rig of one test file: prefix and subnet from the environment, else the given defaults. */
export function rig(prefix: string, subnet: string, env = process.env): Rig {
  const p = env.SHIPKIT_SWARM_RIG_PREFIX ?? prefix;
  const net = env.SHIPKIT_SWARM_RIG_SUBNET ?? subnet;
  const rigEnv: NodeJS.ProcessEnv = {
    ...process.env,
    SWARM_RIG_PREFIX: p,
    SWARM_RIG_SUBNET: net,
    SWARM_RIG_NODES: '3',
    SWARM_RIG_MANAGERS: '3',
  };
  // The rig's own docker calls go to the host engine, never to a DOCKER_HOST a test set.
  delete rigEnv.DOCKER_HOST;
  const script = (...args: string[]) =>
    execFileSync('bash', [RIG_SCRIPT, ...args], { env: rigEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  const node = (i: number) => {
    const ip = `${net}.${10 + i}`;
    return { name: `${p}-node${i}`, ip, dockerHost: `tcp://${ip}:2375` };
  };
  const r: Rig = {
    prefix: p,
    subnet: net,
    node,
    api: (i) => new DockerApi(dockerEndpoint(node(i).dockerHost)),
    up: (images) => script('up', ...images),
    down: () => {
      if (env.SHIPKIT_SWARM_RIG_KEEP !== '1') script('down');
    },
    fault: (action, i) => {
      if (action === 'pause' || action === 'unpause')
        execFileSync('docker', [action, node(i).name], { env: rigEnv, stdio: 'ignore' });
      else script(action, String(i));
    },
    async settled(via, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        try {
          const nodes = await r.api(via).get<{ Status: { State: string } }[]>('/nodes', 3000);
          if (nodes.length === 3 && nodes.every((n) => n.Status.State === 'ready')) return;
          last = nodes.map((n) => n.Status.State).join(',');
        } catch (err: unknown) {
          last = (err as Error).message;
        }
        await new Promise((res) => setTimeout(res, 500));
      }
      throw new Error(`swarm rig did not settle in ${timeoutMs} ms: ${last}`);
    },
  };
  return r;
}
