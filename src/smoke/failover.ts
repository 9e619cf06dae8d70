import { sleep } from '../io/time.js';
import { runLoad, type Observer, type RequestPlan, type Sample } from './client.js';
import type { CheckResult } from './checks.js';
import type { StackRef, TargetSpec } from './spec.js';
import { replicasOf, scaleService, startContainer, stopContainer, type Replica } from './stack.js';
import { round } from './stats.js';
import { SwarmDisruption } from './swarm.js';

/** What the failover drill measured; times are ms from the docker command. */
export interface FailoverResult {
  victim?: { name: string; hostname: string };
  /** Stop → the LB no longer routes to the stopped replica (last failure or last answer from it). */
  detectMs?: number;
  stopErrors: number;
  /** Start → first answer from the restarted replica. */
  recoverMs?: number;
  restartErrors: number;
  scaleUp?: { name?: string; hostname?: string; ms?: number };
  scaleErrors: number;
  requests: number;
  checks: CheckResult[];
}

const QUIET_MS = 1000;

interface Clock {
  samples: Sample[];
  now(): number;
}

/** Waits until `done()` holds or `limitMs` passes since `since`; returns whether it held. */
async function waitFor(clock: Clock, since: number, limitMs: number, done: () => boolean): Promise<boolean> {
  while (clock.now() - since < limitMs) {
    if (done()) return true;
    await sleep(20);
  }
  return done();
}

const failed = (s: Sample, t: TargetSpec) => s.status === 0 || !t.expectStatus.ok(s.status);

/**
 * The failover drill under a steady, rate-bounded load: stop the last replica, require the LB to
 * stop routing to it within T with at most E failed requests, start it again and require traffic
 * on it within T; then scale up by one and require traffic on the new replica within T (an
 * upstream list frozen at start fails here), and scale back. Always restores the stack.
 */
export async function failoverDrill(
  t: TargetSpec,
  stack: StackRef,
  plan: RequestPlan,
  observe: Observer,
): Promise<FailoverResult> {
  const f = t.failover!;
  const result: FailoverResult = { stopErrors: 0, restartErrors: 0, scaleErrors: 0, requests: 0, checks: [] };
  const replicas = await replicasOf(stack);
  if (replicas.length < 2) {
    result.checks.push({
      name: 'failover',
      passed: false,
      expected: 'at least 2 running replicas to stop one',
      seen: `${replicas.length} running replica(s) of ${stack.service}`,
    });
    return result;
  }
  const victim = replicas[replicas.length - 1];
  result.victim = { name: victim.name, hostname: victim.hostname };
  const swarm =
    stack.engine === 'swarm' ? new SwarmDisruption(stack, replicas, f.drain, t.url.hostname) : undefined;
  const origin = performance.now();
  const clock: Clock = { samples: [], now: () => performance.now() - origin };
  const abort = new AbortController();
  const concurrency = Math.min(t.concurrency, 4);
  const load = runLoad(plan, {
    concurrency,
    signal: abort.signal,
    observe,
    origin,
    pauseMs: 10,
    onSample: (s) => clock.samples.push(s),
  });
  let stopped = false;
  let scaled: Replica | undefined;
  try {
    await sleep(500);
    // 1. Stop one replica (on a swarm: a task through the manager, or every task of a drained node).
    const tStop = clock.now();
    stopped = true;
    let gone = new Set([victim.hostname]);
    let what = `${victim.name} (${victim.hostname})`;
    if (swarm) {
      const left = await swarm.stop(f.timeoutMs);
      gone = new Set(left.map((r) => r.hostname));
      what = swarm.describe(left);
      if (left[0]) result.victim = { name: left[0].name, hostname: left[0].hostname };
    } else await stopContainer(victim.id);
    const tStopped = clock.now();
    const lastBad = () => {
      let last = -1;
      for (const s of clock.samples)
        if (s.t > tStop && (failed(s, t) || (s.backend !== undefined && gone.has(s.backend)))) last = s.t;
      return last;
    };
    const quiet = await waitFor(
      clock,
      tStop,
      f.timeoutMs + QUIET_MS,
      () => clock.now() - Math.max(lastBad(), tStopped) >= QUIET_MS,
    );
    const last = lastBad();
    result.detectMs = Math.max(0, last - tStop);
    const tStart = clock.now();
    result.stopErrors = clock.samples.filter((s) => s.t > tStop && s.t <= tStart && failed(s, t)).length;
    result.checks.push({
      name: 'failover: stopped replica left',
      passed: quiet && result.detectMs <= f.timeoutMs && result.stopErrors <= f.maxErrors,
      expected: `after stopping ${what}: no traffic to it and no failures within ${f.timeoutMs} ms, ≤ ${f.maxErrors} failed requests`,
      seen: quiet
        ? `settled after ${round(result.detectMs, 0)} ms with ${result.stopErrors} failed request(s)`
        : `still failing or routing to it ${f.timeoutMs} ms after the stop (${result.stopErrors} failed request(s))`,
    });
    // 2. Start it again (on a swarm: restore the replicas or the node; a new task takes the place).
    let back: boolean;
    let first: (typeof clock.samples)[number] | undefined;
    let whoBack = `${victim.name} (${victim.hostname})`;
    if (swarm) {
      const fresh = await swarm.restore(f.timeoutMs);
      stopped = false;
      const hosts = new Set(fresh.map((r) => r.hostname));
      whoBack = fresh.length ? `replacement ${swarm.describe(fresh)}` : 'a replacement task';
      back = await waitFor(clock, tStart, f.timeoutMs, () =>
        clock.samples.some((s) => s.t > tStart && s.backend !== undefined && hosts.has(s.backend)),
      );
      first = clock.samples.find((s) => s.t > tStart && s.backend !== undefined && hosts.has(s.backend));
    } else {
      await startContainer(victim.id);
      stopped = false;
      back = await waitFor(clock, tStart, f.timeoutMs, () =>
        clock.samples.some((s) => s.t > tStart && s.backend === victim.hostname),
      );
      first = clock.samples.find((s) => s.t > tStart && s.backend === victim.hostname);
    }
    result.recoverMs = first ? first.t - tStart : undefined;
    const tScale = clock.now();
    result.restartErrors = clock.samples.filter((s) => s.t > tStart && s.t <= tScale && failed(s, t)).length;
    result.checks.push({
      name: 'failover: restarted replica back',
      passed: back && result.restartErrors <= f.maxErrors,
      expected: `${whoBack} gets traffic within ${f.timeoutMs} ms of the ${swarm ? 'restore' : 'docker start'}, ≤ ${f.maxErrors} failed requests`,
      seen: back
        ? `first answer after ${round(result.recoverMs!, 0)} ms, ${result.restartErrors} failed request(s)`
        : `no answer from it within ${f.timeoutMs} ms (${result.restartErrors} failed request(s))`,
    });
    // 3. Scale up by one: a replica added after the LB started must get traffic.
    if (f.scaleUp) scaled = await scaleUpCheck(t, stack, replicas, clock, result);
  } finally {
    abort.abort();
    await load;
    result.requests = clock.samples.length;
    if (stopped && swarm) await swarm.restore(0).catch(() => undefined);
    else if (stopped) await startContainer(victim.id).catch(() => undefined);
    if (scaled) await scaleService(stack, replicas.length);
    if (swarm) await swarm.settle(replicas.length, f.timeoutMs);
  }
  return result;
}

async function scaleUpCheck(
  t: TargetSpec,
  stack: StackRef,
  before: Replica[],
  clock: Clock,
  result: FailoverResult,
): Promise<Replica | undefined> {
  const f = t.failover!;
  // Known: what runs now (on a swarm the restored replica is a new task, not one of `before`).
  const known = new Set([...before, ...(await replicasOf(stack))].map((r) => r.id));
  await scaleService(stack, before.length + 1);
  const tUp = clock.now();
  // compose has started the container when it returns; a swarm schedules the task after the command.
  const newOne = async () => (await replicasOf(stack)).find((r) => !known.has(r.id));
  let added = await newOne();
  while (!added && stack.engine === 'swarm' && clock.now() - tUp < f.timeoutMs) {
    await sleep(100);
    added = await newOne();
  }
  if (!added) {
    result.checks.push({
      name: 'failover: scaled-up replica gets traffic',
      passed: false,
      expected: `a new replica of ${stack.service} after scaling to ${before.length + 1}`,
      seen: 'no new running container',
    });
    return undefined;
  }
  const got = await waitFor(clock, tUp, f.timeoutMs, () =>
    clock.samples.some((s) => s.t > tUp && s.backend === added.hostname),
  );
  const first = clock.samples.find((s) => s.t > tUp && s.backend === added.hostname);
  result.scaleErrors = clock.samples.filter((s) => s.t > tUp && failed(s, t)).length;
  result.scaleUp = { name: added.name, hostname: added.hostname, ms: first ? first.t - tUp : undefined };
  result.checks.push({
    name: 'failover: scaled-up replica gets traffic',
    passed: got && result.scaleErrors <= f.maxErrors,
    expected: `new replica ${added.name} (${added.hostname}) gets traffic within ${f.timeoutMs} ms of scaling ${stack.service} to ${before.length + 1}`,
    seen: got
      ? `first answer after ${round(result.scaleUp.ms!, 0)} ms, ${result.scaleErrors} failed request(s)`
      : `${added.name} (${added.hostname}) got no traffic in ${f.timeoutMs} ms (upstream list frozen at start?); ${result.scaleErrors} failed request(s)`,
  });
  return added;
}
