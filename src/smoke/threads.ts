import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { optionsOf, type LoadOptions, type Reply, type RequestPlan, type Sample } from './client.js';

// The request loop of one load thread, as source: an `eval` worker needs no file of its own, so it
// works the same from the bundles in dist/ and from the TypeScript sources under vitest.
// It mirrors `send()` in client.ts; replies go back in batches with absolute completion times.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const mod = require(workerData.https ? 'node:https' : 'node:http');
const { options, count, concurrency, needBody, keepAlive } = workerData;
const agent = new mod.Agent(keepAlive ? { keepAlive: true, maxSockets: concurrency } : { keepAlive: false, maxSockets: Infinity });
const origin = performance.timeOrigin;
let started = 0;
const out = [];
function send() {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let done = false;
    const finish = (r) => {
      if (done) return;
      done = true;
      const now = performance.now();
      r.ms = now - t0;
      r.at = origin + now;
      resolve(r);
    };
    const fail = (e) => finish({ status: 0, headers: {}, body: '', error: e.code || e.message });
    const req = mod.request({ ...options, agent }, (res) => {
      const status = res.statusCode || 0;
      const chunks = [];
      if (needBody) res.on('data', (c) => chunks.push(c));
      else res.resume();
      res.on('end', () => finish({ status, headers: res.headers, body: needBody ? Buffer.concat(chunks).toString('utf8') : '' }));
      res.on('error', fail);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', fail);
    req.end();
  });
}
async function loop() {
  while (started < count) {
    started++;
    out.push(await send());
    if (out.length >= 200) parentPort.postMessage(out.splice(0));
  }
}
Promise.all(Array.from({ length: Math.min(concurrency, count) }, loop)).then(() => {
  parentPort.postMessage(out.splice(0));
  agent.destroy();
  parentPort.postMessage('done');
});
`;

type ThreadReply = Reply & { at: number };

/** How many load threads a run gets: 1 (the main loop) unless it is long and wide enough to pay off. */
export function threadsFor(opts: LoadOptions): number {
  if (opts.threads !== undefined) return opts.threads;
  if (opts.count === undefined || opts.signal || opts.pauseMs || opts.onSample) return 1;
  if (opts.count < 2000 || opts.concurrency < 8) return 1;
  return Math.min(2, availableParallelism());
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
    for (const reply of replies) {
      const seen = opts.observe?.(reply) ?? {};
      const sample: Sample = { t: reply.at - origin, ms: reply.ms, status: reply.status };
      if (reply.error) sample.error = reply.error;
      if (seen.backend !== undefined) sample.backend = seen.backend;
      if (seen.flags?.length) sample.flags = seen.flags;
      samples.push(sample);
    }
  };
  const runs = Array.from({ length: threads }, (_, i) => {
    const count = Math.floor(opts.count / threads) + (i < opts.count % threads ? 1 : 0);
    const concurrency = Math.max(
      1,
      Math.floor(opts.concurrency / threads) + (i < opts.concurrency % threads ? 1 : 0),
    );
    return new Promise<void>((resolve, reject) => {
      if (count === 0) return resolve();
      const worker = new Worker(SOURCE, {
        eval: true,
        workerData: {
          options: { ...optionsOf(plan), headers: plan.headers },
          count,
          concurrency,
          needBody: plan.needBody,
          keepAlive: plan.keepAlive,
          https: plan.url.protocol === 'https:',
        },
      });
      worker.on('message', (m: ThreadReply[] | 'done') => {
        if (m === 'done') void worker.terminate().then(() => resolve());
        else take(m);
      });
      worker.on('error', reject);
    });
  });
  await Promise.all(runs);
  return samples;
}
