/**
 * The implementations behind the two seams (seams.ts) of the blue-green commands: compose and the
 * state dir on one host, or services and configs on a Docker Swarm.
 */
import * as compose from './engine.js';
import { loadBalancer, type LoadBalancer } from './lb.js';
import type { AppSettings } from './plan.js';
import type { Engine, Store } from './seams.js';
import { acquireLock, loadState, saveState } from './state.js';
import { apiFor, swarmEngine } from './swarm/engine.js';
import { swarmLoadBalancer } from './swarm/lb.js';
import { swarmStore } from './swarm/store.js';

export const composeEngine: Engine = {
  ensureNetwork: compose.ensureNetwork,
  startColour: compose.startColour,
  waitHealthy: compose.waitHealthy,
  colourReplicas: compose.colourReplicas,
  servingReplicas: compose.servingReplicas,
  colourLogs: (s, c) => compose.colourLogs(s, c),
  stopColour: compose.stopColour,
  lbExists: async (s) => (await compose.lbContainer(s)) !== undefined,
  removeAll: compose.removeAll,
};

export const fileStore: Store = {
  where: (s) => s.stateDir,
  load: (s) => loadState(s.stateDir, s.name, s.lb),
  save: (s, state, entry) => saveState(s.stateDir, state, entry),
  lock: (s, op, by, opts) => acquireLock(s.stateDir, op, by, opts),
};

/** The engine, store and load balancer of an app's settings. */
export type { Engine, Store } from './seams.js';

export function backendsFor(
  s: AppSettings,
  warn: (line: string) => void = () => {},
  progress?: (line: string) => void,
): { engine: Engine; store: Store; lb: LoadBalancer } {
  if (s.engine === 'swarm') {
    // Retries while the managers elect a leader are said in the command's log (one client per manager address).
    apiFor(s).progress = progress ?? warn;
    return { engine: swarmEngine, store: swarmStore, lb: swarmLoadBalancer(s, warn, progress) };
  }
  return { engine: composeEngine, store: fileStore, lb: loadBalancer(s, progress) };
}
