#!/usr/bin/env node
// An independent HTTP load generator (node:http only, no shipkit code) for the blue-green benchmark.
// Sends GET requests at a steady rate, alternating between a keep-alive connection pool and a new
// connection per request, and records every request: start, end, outcome, and which colour answered
// (the app's X-Colour header) and, on keep-alive, how long the reused socket had been idle. Runs until --duration passes or SIGTERM/SIGINT, then writes NDJSON.
//   node scripts/bench/loadgen.mjs --url http://127.0.0.1:8080/ --rate 200 --duration 60 --out run.ndjson
import http from 'node:http';
import { writeFileSync } from 'node:fs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const url = new URL(arg('url', 'http://127.0.0.1:8080/'));
const rate = Number(arg('rate', '200'));
const durationMs = Number(arg('duration', '60')) * 1000;
const out = arg('out', 'loadgen.ndjson');
const timeoutMs = Number(arg('timeout', '5000'));

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 16 });
const records = [];
let inflight = 0;
let sent = 0;
let stopping = false;

function fire(kind) {
  const rec = { s: Date.now(), e: 0, k: kind, st: 0, c: '', err: '' };
  records.push(rec);
  inflight++;
  const opts = {
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    agent: kind === 'ka' ? keepAlive : false,
    headers: kind === 'ka' ? {} : { Connection: 'close' },
  };
  const done = (err) => {
    if (rec.e) return;
    rec.e = Date.now();
    if (err) rec.err = err;
    inflight--;
  };
  const req = http.get(opts, (res) => {
    rec.st = res.statusCode;
    rec.c = String(res.headers['x-colour'] ?? '');
    res.on('data', () => undefined);
    res.on('end', () => done(res.statusCode >= 500 ? `HTTP ${res.statusCode}` : ''));
    res.on('error', (e) => done(e.code ?? e.message));
  });
  // Keep-alive diagnostics: was the socket reused, and how long had it sat idle in the pool?
  // (A server closing an idle connection as a request is sent on it resets that request.)
  if (kind === 'ka')
    req.on('socket', (sock) => {
      rec.idle = sock.lastEnd ? rec.s - sock.lastEnd : -1;
      req.on('close', () => (sock.lastEnd = Date.now()));
    });
  req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
  req.on('error', (e) => done(e.code ?? e.message));
}

const t0 = Date.now();
const tick = setInterval(() => {
  if (stopping) return;
  const due = Math.floor(((Date.now() - t0) * rate) / 1000);
  while (sent < due) fire(sent++ % 2 === 0 ? 'ka' : 'new');
  if (Date.now() - t0 >= durationMs) stop();
}, 2);

function stop() {
  if (stopping) return;
  stopping = true;
  clearInterval(tick);
  const finish = () => {
    writeFileSync(out, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const failed = records.filter((r) => r.err).length;
    process.stderr.write(`loadgen: ${records.length} requests, ${failed} failed, wrote ${out}\n`);
    process.exit(0);
  };
  const wait = setInterval(() => {
    if (inflight === 0) {
      clearInterval(wait);
      finish();
    }
  }, 20);
  setTimeout(finish, timeoutMs + 1000);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
