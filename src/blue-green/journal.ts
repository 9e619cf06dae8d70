/**
 * What one blue-green command did, as it happened: its steps with their times, the switch, the
 * smoke tests. The job summary (`summary.ts`) is rendered from it; nothing here decides anything.
 */
import type { Colour } from './state.js';

export interface JournalStep {
  name: string;
  /** ms since the command started. */
  startMs: number;
  endMs: number;
  ok: boolean;
}

export interface JournalSmoke {
  route: 'preview' | 'live';
  colour: Colour;
  url: string;
  requests: number;
  failures: number;
  p99Ms: number;
  passed: boolean;
  /** Why it failed, when it did. */
  message?: string;
}

export interface JournalSwitch {
  op: 'promote' | 'rollback';
  from: Colour | null;
  to: Colour;
  /** ISO time the load balancer routed the new colour. */
  at: string;
  /** How long the load balancer change itself took. */
  switchMs: number;
  /** ms from the start of the command until the load balancer routed the new colour. */
  sinceStartMs: number;
  /** Switched back because the live smoke test failed. */
  reverted?: boolean;
}

/** A record of one command (see the module comment). `now` is injectable for tests. */
export class Journal {
  readonly steps: JournalStep[] = [];
  readonly smokes: JournalSmoke[] = [];
  readonly switches: JournalSwitch[] = [];
  readonly startedAt: string;
  private readonly t0: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.t0 = now();
    this.startedAt = new Date().toISOString();
  }

  /** ms since the command started. */
  elapsed(): number {
    return Math.round(this.now() - this.t0);
  }

  /** Runs `fn` as a named step, recording its start, end and whether it threw (and rethrowing). */
  async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const startMs = this.elapsed();
    let ok = false;
    try {
      const r = await fn();
      ok = true;
      return r;
    } finally {
      this.steps.push({ name, startMs, endMs: this.elapsed(), ok });
    }
  }
}

/** Runs `fn` as a step of `journal` when there is one (commands run without one in some tests). */
export function phase<T>(journal: Journal | undefined, name: string, fn: () => Promise<T>): Promise<T> {
  return journal ? journal.step(name, fn) : fn();
}

const HEARTBEAT_MS = 10_000;

/**
 * Awaits `work`, saying at least every 10 s that it still waits for `what` and for how long, so a
 * log is never silent while a command waits (`what` may be a function: what is awaited now). `every` is for tests.
 */
export async function withHeartbeat<T>(
  what: string | (() => string),
  progress: ((line: string) => void) | undefined,
  work: () => Promise<T>,
  every = HEARTBEAT_MS,
): Promise<T> {
  if (!progress) return work();
  const start = Date.now();
  const timer = setInterval(
    () =>
      progress(
        `still waiting for ${typeof what === 'string' ? what : what()} (${Math.round((Date.now() - start) / 1000)} s)`,
      ),
    every,
  );
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
