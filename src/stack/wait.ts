import { answers } from '../io/http.js';
import { sleep } from '../io/time.js';
import type { Platform } from '../platform/types.js';
import { projectContainers } from './resources.js';
import {
  failureReasons,
  progressLines,
  serviceStates,
  type ContainerInfo,
  type ServiceState,
} from './status.js';

export type UpPhase = 'running' | 'done' | 'failed';

export interface WaitOptions {
  project: string;
  /** service → number of containers expected (its scale); services compose did not start are dropped. */
  expected: Map<string, number>;
  timeoutMs: number;
  readyUrl?: string;
  platform: Platform;
  /** Where `compose up` is: the stack can only be ready once it is done. */
  upPhase: () => UpPhase;
  /** Settles when `compose up` ends, so the next poll need not wait a full interval. */
  upSettled?: Promise<unknown>;
  pollMs?: number;
  heartbeatMs?: number;
  signal?: AbortSignal;
}

export type WaitResult =
  | { ok: true; states: ServiceState[]; elapsedMs: number }
  | { ok: false; why: string; failing: string[]; states: ServiceState[]; elapsedMs: number };

/** True when `url` answers 2xx/3xx within 2 s. Talks only to the URL the user gave (the stack's). */
export function urlAnswers(url: string): Promise<boolean> {
  return answers(url, { redirect: 'manual', timeoutMs: 2000 });
}

/**
 * Polls the project's containers until every service is ready (and the ready URL answers), one
 * fails (exited, unhealthy, crash-looping), `compose up` fails, or the timeout passes. Prints a line
 * whenever a service's state changes, and a heartbeat otherwise. Never throws for a stack problem:
 * the result says what went wrong and which services.
 */
export async function waitForStack(o: WaitOptions): Promise<WaitResult> {
  const start = Date.now();
  const pollMs = o.pollMs ?? 500;
  const heartbeatMs = o.heartbeatMs ?? 10_000;
  let shown = new Map<string, string>();
  let lastLine = start;
  let states: ServiceState[] = [];
  let urlOk = o.readyUrl === undefined;
  for (;;) {
    const phase = o.upPhase();
    const infos = await projectContainers(o.project);
    if (phase === 'done') dropUnstarted(o.expected, infos);
    states = serviceStates(o.expected, infos);
    const elapsedMs = Date.now() - start;
    const heartbeat = Date.now() - lastLine >= heartbeatMs;
    const progress = progressLines(shown, states, elapsedMs, heartbeat);
    shown = progress.current;
    for (const line of progress.lines) o.platform.info(line);
    if (progress.lines.length) lastLine = Date.now();

    const failed = states.filter((s) => s.failed);
    if (failed.length) {
      return {
        ok: false,
        why: failureReasons(failed).join('; '),
        failing: failed.map((s) => s.service),
        states,
        elapsedMs,
      };
    }
    if (phase === 'failed') return { ok: false, why: 'compose up failed', failing: [], states, elapsedMs };
    const allReady = states.every((s) => s.ready);
    if (allReady && !urlOk && o.readyUrl) urlOk = await urlAnswers(o.readyUrl);
    if (phase === 'done' && allReady && urlOk) return { ok: true, states, elapsedMs };
    if (elapsedMs >= o.timeoutMs || o.signal?.aborted) {
      const waiting = states.filter((s) => !s.ready);
      const why = waiting.length
        ? `timed out after ${Math.round(elapsedMs / 1000)}s waiting for ${waiting.map((s) => `service ${s.service} (${describeShort(s)})`).join(', ')}`
        : `timed out after ${Math.round(elapsedMs / 1000)}s waiting for ${o.readyUrl ?? 'compose up'} to answer`;
      return { ok: false, why, failing: waiting.map((s) => s.service), states, elapsedMs };
    }
    // Poll at once when compose up ends (once), else after the interval.
    await Promise.race([sleep(pollMs), ...(phase === 'running' && o.upSettled ? [o.upSettled] : [])]);
  }
}

function describeShort(s: ServiceState): string {
  const phases = [...new Set(s.containers.map((c) => c.phase))];
  return phases.length ? phases.join('/') : 'no container';
}

/**
 * Once `compose up` has returned, every container it starts exists: a service with none was not
 * part of this run (a profile not enabled, e.g. through COMPOSE_PROFILES), so stop waiting for it.
 */
export function dropUnstarted(expected: Map<string, number>, infos: readonly ContainerInfo[]): void {
  const present = new Set(infos.map((i) => i.Config.Labels?.['com.docker.compose.service']));
  for (const service of [...expected.keys()]) if (!present.has(service)) expected.delete(service);
}
