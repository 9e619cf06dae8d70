import { readFile } from 'node:fs/promises';
import { UserError } from '../core/errors.js';
import { runLoad, send, waitReady, type RequestPlan, type Observer } from './client.js';
import {
  evaluateLoad,
  gatewayHint,
  observerFor,
  summarise,
  type CheckResult,
  type LoadSummary,
  type ReplicaHealth,
} from './checks.js';
import { failoverDrill, type FailoverResult } from './failover.js';
import { needsBody, type TargetSpec } from './spec.js';
import { replicasOf } from './stack.js';
import { round } from './stats.js';
import { inspectTls, protocolAtLeast, type TlsFacts } from './tls.js';

/** Everything measured and checked for one target. */
export interface TargetResult {
  name: string;
  url: string;
  passed: boolean;
  readyMs: number;
  load: LoadSummary;
  expectedBackends: { hostname: string; label: string }[];
  tls?: TlsFacts;
  sticky?: { backends: Record<string, number>; cookie?: string };
  failover?: FailoverResult;
  checks: CheckResult[];
}

/** Progress lines while a target runs (the step logs them; the library API ignores them). */
export type Log = (message: string) => void;

async function planFor(t: TargetSpec): Promise<RequestPlan> {
  let ca: Buffer | undefined;
  if (t.tls.ca) {
    try {
      ca = await readFile(t.tls.ca);
    } catch (err: unknown) {
      throw new UserError(`cannot read the CA file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
        file: t.tls.ca,
        field: 'input "tls-ca"',
      });
    }
  }
  return {
    url: t.url,
    method: t.method,
    headers: t.headers,
    keepAlive: t.keepAlive,
    timeoutMs: t.timeoutMs,
    needBody: needsBody(t),
    ca,
    servername: t.tls.servername,
    insecure: t.tls.insecure,
  };
}

/** Runs every check of one target: readiness, TLS, load, sticky sessions, failover. */
export async function runTarget(t: TargetSpec, log: Log = () => undefined): Promise<TargetResult> {
  const plan = await planFor(t);
  const observe = observerFor(t);
  const checks: CheckResult[] = [];
  const ready = await waitReady(plan, t.expectStatus.ok, t.readyTimeoutMs);
  const readySeen =
    ready.last.status === 0 ? (ready.last.error ?? 'no answer') : `status ${ready.last.status}`;
  checks.push({
    name: 'ready',
    passed: ready.ready,
    expected: `status ${t.expectStatus.text} within ${t.readyTimeoutMs} ms`,
    seen: ready.ready
      ? `ready after ${round(ready.ms, 0)} ms`
      : ready.certificate
        ? `certificate error ${readySeen} after ${round(ready.ms, 0)} ms; not retried, as waiting cannot fix a certificate`
        : `still not ready after ${round(ready.ms, 0)} ms, last answer: ${readySeen}`,
  });
  log(`${t.name}: ${checks[0].seen}`);
  let tlsFacts: TlsFacts | undefined;
  if (t.url.protocol === 'https:') {
    const r = await tlsChecks(t, plan);
    tlsFacts = r.facts;
    checks.push(...r.checks);
  }
  const { expected, replicas } = await expectedBackends(t);
  const started = performance.now();
  const samples = await runLoad(plan, { count: t.requests, concurrency: t.concurrency, observe });
  const load = summarise(samples, t, performance.now() - started);
  log(
    `${t.name}: ${load.requests} requests in ${round(load.durationMs, 0)} ms (${round(load.rps, 0)}/s), ${load.failures} failed`,
  );
  const loadChecks = evaluateLoad(t, load, expected);
  const hint = gatewayHint(load, replicas);
  const status = loadChecks.find((c) => c.name === 'status');
  if (hint && status && !status.passed) status.seen += `; likely cause: ${hint}`;
  checks.push(...loadChecks);
  let sticky: TargetResult['sticky'];
  if (t.sticky) {
    const r = await stickyCheck(t, plan, observe);
    sticky = r.sticky;
    checks.push(r.check);
  }
  let failover: FailoverResult | undefined;
  if (t.failover && t.stack) {
    log(`${t.name}: failover drill on ${t.stack.project}/${t.stack.service}`);
    failover = await failoverDrill(t, t.stack, plan, observe);
    checks.push(...failover.checks);
  }
  return {
    name: t.name,
    url: t.url.href,
    passed: checks.every((c) => c.passed),
    readyMs: ready.ms,
    load,
    expectedBackends: expected,
    tls: tlsFacts,
    sticky,
    failover,
    checks,
  };
}

async function expectedBackends(
  t: TargetSpec,
): Promise<{ expected: { hostname: string; label: string }[]; replicas?: ReplicaHealth[] }> {
  const out = t.expectBackends.map((h) => ({ hostname: h, label: h }));
  if (!t.stack) return { expected: out };
  const replicas = await replicasOf(t.stack);
  if (replicas.length === 0)
    throw new UserError(
      `no running replicas of service "${t.stack.service}" in compose project "${t.stack.project}"`,
      { field: 'input "project-name"' },
    );
  out.push(...replicas.map((r) => ({ hostname: r.hostname, label: `${r.hostname} (${r.name})` })));
  return { expected: out, replicas: replicas.map((r) => ({ label: r.name, health: r.health })) };
}

async function tlsChecks(
  t: TargetSpec,
  plan: RequestPlan,
): Promise<{ facts?: TlsFacts; checks: CheckResult[] }> {
  const port = Number(t.url.port || 443);
  let facts: TlsFacts;
  try {
    facts = await inspectTls(t.url.hostname, port, {
      ca: plan.ca,
      servername: t.tls.servername,
      timeoutMs: t.timeoutMs,
    });
  } catch (err: unknown) {
    return {
      checks: [
        {
          name: 'tls handshake',
          passed: false,
          expected: `a TLS handshake with ${t.url.host}`,
          seen: (err as Error).message,
        },
      ],
    };
  }
  const checks: CheckResult[] = [
    {
      name: 'tls chain',
      passed: !facts.chainError,
      expected: `chain of ${facts.subject} verifies against ${t.tls.ca ?? 'the system CAs'}`,
      seen: facts.chainError ?? `verified (issuer ${facts.issuer})`,
    },
    {
      name: 'tls hostname',
      passed: !facts.hostnameError,
      expected: `certificate valid for ${t.tls.servername ?? t.url.hostname}`,
      seen: facts.hostnameError ?? 'matches',
    },
  ];
  const leafDays = t.tls.minDays ?? 0;
  checks.push({
    name: 'tls leaf expiry',
    passed: facts.leafDaysLeft >= leafDays,
    expected: `leaf ${facts.subject} valid for ≥ ${leafDays} more days`,
    seen: `${facts.leafDaysLeft} days left (not after ${facts.leafNotAfter.toISOString()})`,
  });
  if (t.tls.minDaysChain !== undefined) {
    const e = facts.earliest;
    checks.push({
      name: 'tls chain expiry',
      passed: e.daysLeft >= t.tls.minDaysChain,
      expected: `every certificate in the chain valid for ≥ ${t.tls.minDaysChain} more days`,
      seen: `earliest: ${e.subject}, ${e.daysLeft} days left (not after ${e.notAfter.toISOString()})`,
    });
  }
  if (t.tls.minVersion) {
    checks.push({
      name: 'tls version',
      passed: protocolAtLeast(facts.protocol, t.tls.minVersion),
      expected: `${t.tls.minVersion} or newer`,
      seen: facts.protocol,
    });
  }
  return { facts, checks };
}

/** A cookie jar of one: the first answer's cookies are sent with each of the next M requests. */
async function stickyCheck(
  t: TargetSpec,
  plan: RequestPlan,
  observe: Observer,
): Promise<{ sticky: TargetResult['sticky']; check: CheckResult }> {
  const m = t.sticky!.requests;
  const first = await send(plan);
  const setCookie = first.headers['set-cookie'] ?? [];
  const pairs = setCookie
    .map((c) => c.split(';')[0].trim())
    .filter((c) => !t.sticky!.cookie || c.startsWith(`${t.sticky!.cookie}=`));
  const cookie = pairs.join('; ') || undefined;
  const firstBackend = observe(first).backend;
  const backends: Record<string, number> = {};
  for (let i = 0; i < m; i++) {
    const reply = await send(plan, cookie ? { cookie } : undefined);
    const b = observe(reply).backend ?? `(status ${reply.status || reply.error})`;
    backends[b] = (backends[b] ?? 0) + 1;
  }
  const names = Object.keys(backends);
  const passed = cookie !== undefined && names.length === 1 && names[0] === firstBackend;
  return {
    sticky: { backends, cookie: cookie?.replace(/=.*/, '=…') },
    check: {
      name: 'sticky session',
      passed,
      expected: `with the cookie${t.sticky!.cookie ? ` ${t.sticky!.cookie}` : ''} from the first answer, ${m} more requests all reach ${firstBackend ?? 'its backend'}`,
      seen:
        cookie === undefined
          ? `no ${t.sticky!.cookie ?? ''} cookie set by the first answer`.replace('  ', ' ')
          : `backends: ${Object.entries(backends)
              .map(([k, v]) => `${k} ×${v}`)
              .join(', ')}`,
    },
  };
}
