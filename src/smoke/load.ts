// smoke's load generator talks HTTP itself (raw sockets in raw.ts, node:http/https agents in load.ts,
// worker threads in threads.ts) instead of through src/io/http.ts: it must reach wrk-like request
// rates, and fetch's per-request cost and its connection pool (no choice of a new connection per
// request) cannot. Everything else that talks HTTP goes through src/io.
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import { http, https, net } from '../core/builtins.js';
import type { LoopOptions, Observer, Reply, RequestPlan, Sample } from './load-types.js';
import { portable, RawHttp, rawTargetFor } from './raw.js';

/** Sends a plan's requests: `RawHttp` for plain `http:`, `NodeHttp` for the rest. */
export interface Sender {
  send(): Promise<Reply>;
  /** The load loop on the sender's own callbacks, where it has one (`loadLoop` uses it). */
  run?(opts: LoopOptions, onReply: (reply: Reply, now: number) => void): Promise<void>;
  /** Closes the idle connections. */
  close(): void;
}

/** node:http/https options of a plan (with its headers). */
export function nodeOptions(plan: RequestPlan): Https.RequestOptions {
  const u = plan.url;
  const opts: Https.RequestOptions = {
    protocol: u.protocol,
    hostname: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port || undefined,
    path: u.pathname + u.search,
    method: plan.method,
    headers: plan.headers,
    timeout: plan.timeoutMs,
    ca: plan.ca,
    servername: plan.servername,
    rejectUnauthorized: !plan.insecure,
  };
  if (u.username || u.password)
    opts.auth = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  return opts;
}

/**
 * The node:http/https sender, for https and the plans the raw client leaves alone. Without
 * keep-alive, one shared agent that closes every socket after its response (sending
 * `Connection: close`): a new connection per request, like `agent: false`, without building an
 * Agent per request. Never rejects: errors become `status: 0` with their code.
 */
export const NodeHttp = portable(
  class {
    readonly agent: Http.Agent;

    constructor(
      readonly mod: typeof Http,
      readonly options: Https.RequestOptions,
      readonly needBody: boolean,
      keepAlive: boolean,
      concurrency: number,
    ) {
      this.agent = new mod.Agent(
        keepAlive ? { keepAlive: true, maxSockets: concurrency } : { keepAlive: false, maxSockets: Infinity },
      );
    }

    /** Sends the request, with `extra` headers when given. */
    send(extra?: Record<string, string>): Promise<Reply> {
      const t0 = performance.now();
      const headers = extra ? { ...this.options.headers, ...extra } : this.options.headers;
      // `resolve` settles once: the first of answer, error and timeout wins.
      return new Promise((resolve) => {
        const req = this.mod.request({ ...this.options, headers, agent: this.agent }, (res) => {
          const chunks: Buffer[] = [];
          if (this.needBody) res.on('data', (c: Buffer) => chunks.push(c));
          else res.resume();
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: this.needBody ? Buffer.concat(chunks).toString('utf8') : '',
              ms: performance.now() - t0,
            }),
          );
          res.on('error', (e: NodeJS.ErrnoException) => resolve(this.failed(e, t0)));
        });
        req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
        req.on('error', (e: NodeJS.ErrnoException) => resolve(this.failed(e, t0)));
        req.end();
      });
    }

    failed(e: NodeJS.ErrnoException, t0: number): Reply {
      return { status: 0, headers: {}, body: '', ms: performance.now() - t0, error: e.code ?? e.message };
    }

    close(): void {
      this.agent.destroy();
    }
  },
);

/** The node:http/https sender of a plan, for `concurrency` requests in flight. */
export function nodeSender(plan: RequestPlan, concurrency: number): InstanceType<typeof NodeHttp> {
  const mod = plan.url.protocol === 'https:' ? (https() as unknown as typeof Http) : http();
  return new NodeHttp(mod, nodeOptions(plan), plan.needBody, plan.keepAlive, concurrency);
}

/** The sender for a load of `concurrency` requests in flight: the raw client where it can. */
export function senderFor(plan: RequestPlan, concurrency: number): Sender {
  const raw = rawTargetFor(plan);
  return raw ? new RawHttp(net(), raw) : nodeSender(plan, concurrency);
}

export type { LoopOptions } from './load-types.js';

/**
 * The load loop: `concurrency` workers, each sending its next request when the last is answered,
 * until `count` are started or `stopped()`. `onReply` gets each reply with its completion time
 * (`performance.now()`). Portable: load threads run this same code (threads.ts).
 */
export const loadLoop = portable(async function (
  sender: Sender,
  opts: LoopOptions,
  onReply: (reply: Reply, now: number) => void,
): Promise<void> {
  if (sender.run && !opts.pauseMs) return sender.run(opts, onReply);
  let started = 0;
  const workers = Math.max(1, Math.min(opts.concurrency, opts.count ?? opts.concurrency));
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!opts.stopped?.() && (opts.count === undefined || started < opts.count)) {
        started++;
        const reply = await sender.send();
        onReply(reply, performance.now());
        if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
      }
    }),
  );
});

/** What the load keeps of a reply answered at `t` (ms since the run started). */
export function sampleOf(reply: Reply, t: number, observe?: Observer): Sample {
  const seen = observe?.(reply) ?? {};
  const sample: Sample = { t, ms: reply.ms, status: reply.status };
  if (reply.error) sample.error = reply.error;
  if (seen.backend !== undefined) sample.backend = seen.backend;
  if (seen.flags?.length) sample.flags = seen.flags;
  return sample;
}
