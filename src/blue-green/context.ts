import { hostname } from 'node:os';
import { StepFailure } from '../core/errors.js';
import type { Platform } from '../platform/types.js';
import type { SmokeRunner } from '../smoke/api.js';
import type { DeploymentRecorder } from './deployments.js';
import { phase, withHeartbeat, type Journal } from './journal.js';
import type { Engine, Store } from './seams.js';
import { lbHost, type LoadBalancer } from './lb.js';
import type { AppSettings } from './plan.js';
import { type BlueGreenState, type Colour, type HistoryEntry } from './state.js';

/** Per-command options (validated in getInputs). */
export interface CommandOptions {
  image?: string;
  version?: string;
  autoPromote: boolean;
  /** rollback may redeploy the previous release when the idle colour no longer runs it. */
  allowRedeploy: boolean;
  /** Inputs given explicitly; `status` takes the others from the state (the ports the LB has). */
  given: { port: boolean; previewPort: boolean; bindAddress: boolean; lb: boolean };
  scaleDownDelayMs: number;
  healthTimeoutMs: number;
  lockTimeoutMs: number;
  smokeRequests: number;
  smokePath: string;
  /** GitHub environment of the live route; the preview is `<environment>-preview`. */
  environment: string;
  format: 'text' | 'json';
}

/** What a command may touch: injected so tests use real Docker with their own smoke runner and hooks. */
export interface Deps {
  smoke: SmokeRunner;
  deployments?: DeploymentRecorder;
  /** Called at named points of a switch (`after-switching`, `after-route`): tests kill a command there. */
  hooks?: { at(point: string): Promise<void> };
}

export interface Ctx {
  s: AppSettings;
  o: CommandOptions;
  platform: Platform;
  deps: Deps;
  lb: LoadBalancer;
  /** Runs the colours (compose on this host, or Swarm services). */
  engine: Engine;
  /** Keeps the state and the lock (the state dir, or the swarm). */
  store: Store;
  /** Who runs this command (CI actor, else the local user), and where. */
  by: string;
  /** Records the command's steps, switch and smoke tests for the job summary. */
  journal?: Journal;
}

export const liveUrl = (c: Ctx, path = c.o.smokePath) => `http://${lbHost(c.s)}:${c.s.port}${path}`;
export const previewUrl = (c: Ctx, path = c.o.smokePath) => `http://${lbHost(c.s)}:${c.s.previewPort}${path}`;

export function entry(
  c: Ctx,
  op: string,
  outcome: HistoryEntry['outcome'],
  extra: Partial<HistoryEntry> = {},
): HistoryEntry {
  return { at: new Date().toISOString(), op, by: c.by, outcome, ...extra };
}

/** Calls the injected hooks at a named point (see `Deps.hooks`); nothing without them. */
export async function hookPoint(c: Ctx, point: string): Promise<void> {
  await c.deps.hooks?.at(point);
}

/** Runs `fn` holding the app's lock, with the state loaded fresh under the lock. */
export async function withLock<T>(c: Ctx, op: string, fn: (state: BlueGreenState) => Promise<T>): Promise<T> {
  const release = await phase(c.journal, 'take the lock', () =>
    c.store.lock(c.s, op, `${c.by}@${hostname()}`, {
      timeoutMs: c.o.lockTimeoutMs,
      onWait: (h) => c.platform.info(`waiting for the lock: ${h.op} by ${h.by} (pid ${h.pid}) since ${h.at}`),
    }),
  );
  try {
    const state = await c.store.load(c.s);
    if (state.lb !== c.s.lb) {
      throw new StepFailure(`${c.s.name} runs behind ${state.lb} on this host, not ${c.s.lb} (input lb)`);
    }
    return await fn(state);
  } finally {
    await release();
  }
}

/**
 * Smoke-tests one route and checks that only replicas of `colour` answered it (by `X-Served-By`,
 * the container hostname). Throws a `StepFailure` listing every failed check.
 */
export async function smokeColour(
  c: Ctx,
  colour: Colour,
  url: string,
  route: 'preview' | 'live' = 'preview',
): Promise<void> {
  const replicas = await c.engine.colourReplicas(c.s, colour);
  const progress = (l: string) => c.platform.info(l);
  const outcome = await withHeartbeat(
    `the ${route} smoke test of ${colour} (${c.o.smokeRequests} requests to ${url})`,
    progress,
    () =>
      c.deps.smoke({
        url,
        requests: c.o.smokeRequests,
        concurrency: 4,
        readyTimeoutMs: 15_000,
        minBackends: Math.min(c.s.replicas, c.o.smokeRequests),
        backendHeader: 'X-Served-By',
      }),
  );
  const mine = new Set(replicas.map((r) => r.hostname));
  const strangers = Object.keys(outcome.backends).filter((b) => !mine.has(b));
  const failed = [...outcome.failedChecks];
  if (strangers.length)
    failed.push(`answered by ${strangers.join(', ')}, which are not replicas of ${colour}`);
  c.platform.info(
    `smoke ${url}: ${outcome.requests} requests, ${outcome.failures} failed, p99 ${outcome.p99Ms.toFixed(1)} ms, backends ${Object.keys(outcome.backends).length}`,
  );
  const passed = outcome.passed && !failed.length;
  c.journal?.smokes.push({
    route,
    colour,
    url,
    requests: outcome.requests,
    failures: outcome.failures,
    p99Ms: outcome.p99Ms,
    passed,
    ...(passed ? {} : { message: failed.join('; ') }),
  });
  if (!passed) {
    throw new StepFailure(`smoke test of ${colour} at ${url} failed: ${failed.join('; ')}`);
  }
}

/** Saves the state, logging instead of failing when only the history append is affected. */
export async function save(c: Ctx, state: BlueGreenState, e?: HistoryEntry): Promise<void> {
  await c.store.save(c.s, state, e);
}

/** Calls GitHub without letting its failure undo a switch that already happened. */
export async function recordGithub<T>(
  c: Ctx,
  what: string,
  fn: (d: NonNullable<Deps['deployments']>) => Promise<T>,
) {
  if (!c.deps.deployments) return undefined;
  try {
    return await fn(c.deps.deployments);
  } catch (err: unknown) {
    c.platform.warning(`GitHub deployment (${what}) not recorded: ${(err as Error).message}`);
    return undefined;
  }
}
