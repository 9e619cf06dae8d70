#!/usr/bin/env node
// An independent poller (node:http only, no shipkit code) for the blue-green switch time as a user
// feels it: two loops ask the live URL back to back — one on a new connection per request, one on a
// keep-alive connection — and record every answer's start, end and colour (the app's X-Colour
// header). Runs until SIGTERM/SIGINT, then writes NDJSON. `feltSwitch` (exported) turns a record into
// "from the start of the command until every answer comes from the new colour".
//   node scripts/bench/poller.mjs --url http://127.0.0.1:8080/ --out poll.ndjson [--gap 2]
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * ms from `t0` (the command's start) until every answer comes from `target`: the start of the
 * first request of the last run of `target` answers that lasts until `until`, or null when the
 * run never starts. Failed requests (no colour) break a run: they are counted, not forgiven.
 */
export function feltSwitch(records, t0, until, target) {
  const window = records.filter((r) => r.s >= t0 && r.s < until).sort((a, b) => a.s - b.s);
  let first = null;
  for (const r of window) {
    if (r.c === target && !r.err) first ??= r;
    else first = null;
  }
  return first ? first.s - t0 : null;
}

async function main() {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const url = new URL(arg('url', 'http://127.0.0.1:8080/'));
  const out = arg('out', 'poll.ndjson');
  const gapMs = Number(arg('gap', '2'));
  const records = [];
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let stopping = false;

  const ask = (kind) =>
    new Promise((resolve) => {
      const rec = { s: Date.now(), e: 0, k: kind, c: '', err: '' };
      records.push(rec);
      const done = (err) => {
        if (rec.e) return;
        rec.e = Date.now();
        if (err) rec.err = err;
        resolve();
      };
      const req = http.get(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          agent: kind === 'ka' ? keepAlive : false,
          headers: kind === 'ka' ? {} : { Connection: 'close' },
        },
        (res) => {
          rec.c = String(res.headers['x-colour'] ?? '');
          res.resume();
          res.on('end', () => done(res.statusCode >= 500 ? `HTTP ${res.statusCode}` : ''));
          res.on('error', (e) => done(e.code ?? e.message));
        },
      );
      req.setTimeout(5000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', (e) => done(e.code ?? e.message));
    });

  const loop = async (kind) => {
    while (!stopping) {
      await ask(kind);
      await new Promise((r) => setTimeout(r, gapMs));
    }
  };
  const loops = [loop('new'), loop('ka')];
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all(loops);
    writeFileSync(out, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const failed = records.filter((r) => r.err).length;
    process.stderr.write(`poller: ${records.length} requests, ${failed} failed, wrote ${out}\n`);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
