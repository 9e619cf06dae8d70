// smoke's load generator talks HTTP itself (raw sockets in raw.ts, node:http/https agents in load.ts,
// worker threads in threads.ts) instead of through src/io/http.ts: it must reach wrk-like request
// rates, and fetch's per-request cost and its connection pool (no choice of a new connection per
// request) cannot. Everything else that talks HTTP goes through src/io.
import { availableParallelism } from 'node:os';
import { workerThreads } from '../core/builtins.js';
import type { LoadOptions, Reply, RequestPlan, Sample } from './load-types.js';
import { loadLoop, NodeHttp, nodeOptions, sampleOf } from './load.js';
import { RawHttp, rawTargetFor } from './raw.js';

let source: string | undefined;

/**
 * The program of one load thread: the main thread's senders and loop, from their source text (an
 * `eval` worker needs no file of its own, so it works the same from the bundles in dist/ and from
 * the TypeScript sources under vitest). Replies go back in batches with absolute completion times.
 */
function workerSource(): string {
  source ??= `
const { parentPort, workerData: w } = require('node:worker_threads');
const RawHttp = (${String(RawHttp)});
const NodeHttp = (${String(NodeHttp)});
const loadLoop = (${String(loadLoop)});
const sender = w.raw
  ? new RawHttp(require('node:net'), w.raw)
  : new NodeHttp(require(w.https ? 'node:https' : 'node:http'), w.options, w.needBody, w.keepAlive, w.concurrency);
const origin = performance.timeOrigin;
const out = [];
loadLoop(sender, { count: w.count, concurrency: w.concurrency }, (reply, now) => {
  reply.at = origin + now;
  out.push(reply);
  if (out.length >= 200) parentPort.postMessage(out.splice(0));
}).then(() => {
  sender.close();
  parentPort.postMessage(out.splice(0));
  parentPort.postMessage('done');
});
`;
  return source;
}

type ThreadReply = Reply & { at: number };

/**
 * How many load threads a run gets: 1 (the main loop) unless the machine has cores to spare and
 * the run is long and wide enough to pay for starting threads. On 2 cores (the target stack on the
 * same machine) a second thread made both modes slower (BENCHMARKS.md, smoke).
 */
export function threadsFor(opts: LoadOptions): number {
  if (opts.threads !== undefined) return opts.threads;
  if (opts.count === undefined || opts.signal || opts.pauseMs || opts.onSample) return 1;
  if (opts.count < 2000 || opts.concurrency < 8) return 1;
  return availableParallelism() >= 4 ? 2 : 1;
}

/**
 * Runs a counted load split over `threads` worker threads (each its own event loop, as wrk runs
 * one per thread); the observer runs here, on the main thread. Samples come in batch order.
 */
export async function runThreaded(
  plan: RequestPlan,
  opts: LoadOptions & { count: number },
  threads: number,
): Promise<Sample[]> {
  const origin = performance.timeOrigin + (opts.origin ?? performance.now());
  const samples: Sample[] = [];
  const take = (replies: ThreadReply[]) => {
    for (const reply of replies) samples.push(sampleOf(reply, reply.at - origin, opts.observe));
  };
  const runs = Array.from({ length: threads }, (_, i) => {
    const count = Math.floor(opts.count / threads) + (i < opts.count % threads ? 1 : 0);
    const concurrency = Math.max(
      1,
      Math.floor(opts.concurrency / threads) + (i < opts.concurrency % threads ? 1 : 0),
    );
    return new Promise<void>((resolve, reject) => {
      if (count === 0) return resolve();
      const worker = new (workerThreads().Worker)(workerSource(), {
        eval: true,
        workerData: {
          raw: rawTargetFor(plan),
          options: nodeOptions(plan),
          count,
          concurrency,
          needBody: plan.needBody,
          keepAlive: plan.keepAlive,
          https: plan.url.protocol === 'https:',
        },
      });
      worker.on('message', (m: ThreadReply[] | 'done') => {
        if (m !== 'done') return take(m);
        resolve();
        void worker.terminate();
      });
      worker.on('error', reject);
      // Messages are delivered before 'exit': after 'done' this is a no-op.
      worker.on('exit', (code) => reject(new Error(`load thread exited early (code ${code})`)));
    });
  });
  await Promise.all(runs);
  return samples;
}
