/**
 * The two seams under the blue-green commands, so the same commands run on one host (compose,
 * files in the state dir) and on a Docker Swarm (services, state and lock in the cluster):
 * `Engine` runs the colours, `Store` keeps the state and the lock. Implementations: backends.ts.
 */
import type { Progress, Replica } from './engine.js';
import type { AppSettings } from './plan.js';
import type { BlueGreenState, Colour, HistoryEntry, LockOptions } from './state.js';

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
  /**
   * Only where the orchestrator replaces lost replicas by itself (Swarm): waits up to `timeoutMs`
   * while it is replacing some of a colour's replicas, and returns the serving ones then (fewer than
   * wanted when it gave up, or when the colour's service does not exist).
   */
  rescheduled?(s: AppSettings, c: Colour, timeoutMs: number, progress?: Progress): Promise<Replica[]>;
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
