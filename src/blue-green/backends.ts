/**
 * The two seams under the blue-green commands, so the same commands run on one host (compose,
 * files in the state dir) and on a Docker Swarm (services, state and lock in the cluster):
 * `Engine` runs the colours, `Store` keeps the state and the lock.
 */
import * as compose from './engine.js';
import type { Progress, Replica } from './engine.js';
import { loadBalancer, type LoadBalancer } from './lb.js';
import type { AppSettings } from './plan.js';
import {
  acquireLock,
  loadState,
  saveState,
  type BlueGreenState,
  type Colour,
  type HistoryEntry,
  type LockOptions,
} from './state.js';
import { swarmEngine } from './swarm/engine.js';
import { swarmLoadBalancer } from './swarm/lb.js';
import { swarmStore } from './swarm/store.js';

/** Runs the colours of an app (compose projects on one host, or Swarm services). */
export interface Engine {
  ensureNetwork(s: AppSettings): Promise<void>;
  /** Starts (or replaces) a colour's replicas with `image`. */
  startColour(s: AppSettings, c: Colour, image: string, version: string): Promise<void>;
  /** Waits until `replicas` replicas run healthy; throws a `StepFailure` saying why not. */
  waitHealthy(s: AppSettings, c: Colour, timeoutMs: number, progress?: Progress): Promise<Replica[]>;
  colourReplicas(s: AppSettings, c: Colour): Promise<Replica[]>;
  /** Running, healthy replicas with an address on the app's network. */
  servingReplicas(s: AppSettings, c: Colour): Promise<Replica[]>;
  colourLogs(s: AppSettings, c: Colour): Promise<string>;
  stopColour(s: AppSettings, c: Colour): Promise<void>;
  /** True when the app's load balancer exists (a first deploy creates it). */
  lbExists(s: AppSettings): Promise<boolean>;
  /** Removes both colours, the LB and the network. */
  removeAll(s: AppSettings): Promise<void>;
}

/** Keeps an app's state and its lock (see state.ts for their meaning). */
export interface Store {
  /** Where the state lives, for messages. */
  where(s: AppSettings): string;
  load(s: AppSettings): Promise<BlueGreenState>;
  save(s: AppSettings, state: BlueGreenState, entry?: HistoryEntry): Promise<void>;
  /** Takes the app's lock (waits up to `timeoutMs`); returns the release function. */
  lock(s: AppSettings, op: string, by: string, opts: LockOptions): Promise<() => Promise<void>>;
}

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
export function backendsFor(
  s: AppSettings,
  warn: (line: string) => void = () => {},
): { engine: Engine; store: Store; lb: LoadBalancer } {
  if (s.engine === 'swarm') return { engine: swarmEngine, store: swarmStore, lb: swarmLoadBalancer(s, warn) };
  return { engine: composeEngine, store: fileStore, lb: loadBalancer(s) };
}
