import { net } from '../core/builtins.js';
import { sleep } from '../io/time.js';
import { loadLoop, nodeSender, sampleOf, senderFor } from './load.js';
import { headerLines, RawHttp, rawTargetFor } from './raw.js';
import { runThreaded, threadsFor } from './threads.js';
import type { LoadOptions, Reply, RequestPlan, Sample } from './load-types.js';

// The load's types live in load-types.ts, which load.ts, raw.ts and threads.ts import too (no circle).
export type { LoadOptions, Observer, Reply, RequestPlan, Sample } from './load-types.js';

/**
 * Sends one request on a new connection, with `extra` headers when given, and resolves with its
 * reply; never rejects (errors become `status: 0`). Plain `http:` goes through the raw client.
 */
export async function send(plan: RequestPlan, extra?: Record<string, string>): Promise<Reply> {
  const one = { ...plan, keepAlive: false };
  const raw = rawTargetFor(one);
  const lines = extra ? headerLines(extra) : '';
  if (raw && lines !== undefined) return new RawHttp(net(), raw).send(lines);
  const sender = nodeSender(one, 1);
  try {
    return await sender.send(extra);
  } finally {
    sender.close();
  }
}

/**
 * Runs `count` requests (or until `signal` aborts) with `concurrency` in flight, each on a new
 * connection unless the plan asks for keep-alive. Returns every sample in completion order.
 */
export async function runLoad(plan: RequestPlan, opts: LoadOptions): Promise<Sample[]> {
  const threads = threadsFor(opts);
  if (threads > 1 && opts.count !== undefined)
    return runThreaded(plan, { ...opts, count: opts.count }, threads);
  const sender = senderFor(plan, opts.concurrency);
  const origin = opts.origin ?? performance.now();
  const samples: Sample[] = [];
  const stopped = () => opts.signal?.aborted === true;
  await loadLoop(sender, { ...opts, stopped }, (reply, now) => {
    const sample = sampleOf(reply, now - origin, opts.observe);
    samples.push(sample);
    opts.onSample?.(sample);
  });
  sender.close();
  return samples;
}

/**
 * Node's error codes for a certificate that waiting cannot fix: expired or not yet valid, issued
 * for another host, or signed by a CA the client does not trust.
 */
export const CERTIFICATE_ERRORS: ReadonlySet<string> = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_CERT_ALTNAME_FORMAT',
  'HOSTNAME_MISMATCH',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
]);

/**
 * Retries the target until it answers with a status `ok` accepts, or `timeoutMs` passes. A
 * certificate error ends the wait at once (`certificate: true`): no retry can make it pass.
 * Returns the last reply and how long it took.
 */
export async function waitReady(
  plan: RequestPlan,
  ok: (status: number) => boolean,
  timeoutMs: number,
  intervalMs = 250,
): Promise<{ ready: boolean; last: Reply; ms: number; certificate?: boolean }> {
  const started = performance.now();
  for (;;) {
    const last = await send({ ...plan, timeoutMs: Math.min(plan.timeoutMs, Math.max(timeoutMs, 500)) });
    const ms = performance.now() - started;
    if (last.status !== 0 && ok(last.status)) return { ready: true, last, ms };
    if (last.error !== undefined && CERTIFICATE_ERRORS.has(last.error))
      return { ready: false, last, ms, certificate: true };
    if (ms >= timeoutMs) return { ready: false, last, ms };
    await sleep(Math.min(intervalMs, timeoutMs - ms));
  }
}

/** Name of the backend that answered, read from a header, a JSON field (dot path) or a regex. */
export function backendOf(reply: Reply, from: BackendSource): string | undefined {
  if (reply.status === 0) return undefined;
  if (from.kind === 'header') {
    const v = reply.headers[from.value.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }
  if (from.kind === 'json') {
    const value = jsonPath(reply.body, from.value);
    if (typeof value === 'string') return value;
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  }
  const m = from.regex.exec(reply.body);
  return m ? (m[1] ?? m[0]) : undefined;
}

export type BackendSource =
  | { kind: 'header'; value: string }
  | { kind: 'json'; value: string }
  | { kind: 'regex'; value: string; regex: RegExp };

/** `a.b.c` in a JSON text; `undefined` when the body is not JSON or the path is absent. */
export function jsonPath(body: string, path: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
