#!/usr/bin/env node
// CPU per request of the smoke client (issue 17), paired A/B of two builds of the CLI, against a
// host nginx (one worker, 127.0.0.1, no Docker) answering `/healthz` — or against URL when given.
// Each round runs `shipkit smoke` of both builds (taking turns going first) in each mode (new
// connection per request, keep-alive) at concurrency 20, and reads user+sys CPU of the whole
// process from /usr/bin/time: node's start-up (~0.1 s) is in it, the same for both builds.
// Prints per-round figures and medians; on a busy machine CPU per request is steadier than req/s.
// Usage: npm run build && node scripts/bench/smoke-cpu.mjs
//   (env: BASELINE_CLI=<other build's cli/index.js> (required), SMOKE_CLI=dist/cli/index.js,
//    ROUNDS=6, NEW=15000, KEEP=60000 requests per run, URL=<target instead of the host nginx>)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const builds = { branch: process.env.SMOKE_CLI ?? join(root, 'dist', 'cli', 'index.js') };
if (!process.env.BASELINE_CLI)
  throw new Error('set BASELINE_CLI to the other build (e.g. a copy of main/dist/cli/index.js)');
builds.baseline = process.env.BASELINE_CLI;
const ROUNDS = Number(process.env.ROUNDS ?? 6);
const N = { new: Number(process.env.NEW ?? 15000), keep: Number(process.env.KEEP ?? 60000) };
const tmp = mkdtempSync(join(tmpdir(), 'sksmoke-cpu-'));

function startNginx() {
  const port = 15400 + Math.floor(Math.random() * 80);
  writeFileSync(
    join(tmp, 'nginx.conf'),
    `worker_processes 1; pid ${tmp}/nginx.pid; error_log ${tmp}/error.log warn;
events { worker_connections 4096; }
http { access_log off; server_tokens off;
  server { listen 127.0.0.1:${port} backlog=4096;
    location = /healthz { add_header Content-Type text/plain; return 200 "ok\\n"; } } }
`,
  );
  execFileSync('nginx', ['-p', tmp, '-c', join(tmp, 'nginx.conf')]);
  return `http://127.0.0.1:${port}/healthz`;
}

function run(cli, url, keepAlive) {
  const n = keepAlive ? N.keep : N.new;
  const dir = mkdtempSync(join(tmp, 'r-'));
  const args = [cli, 'smoke', url, '--min-backends', '0', '--report-dir', dir, '--requests', String(n)];
  args.push('--concurrency', '20', ...(keepAlive ? ['--keep-alive'] : []));
  const r = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', 'node', ...args], { encoding: 'utf8' });
  const [, user, sys] = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr) ?? [];
  const load = JSON.parse(readFileSync(join(dir, 'smoke.json'), 'utf8')).targets[0].load;
  return { rps: load.rps, failed: load.failures, us: ((Number(user) + Number(sys)) * 1e6) / n };
}

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const url = process.env.URL ?? startNginx();
try {
  for (const keepAlive of [false, true]) {
    const mode = keepAlive ? 'keep-alive' : 'new connection per request';
    const got = { branch: [], baseline: [] };
    for (let i = 0; i < ROUNDS; i++) {
      for (const name of i % 2 ? ['baseline', 'branch'] : ['branch', 'baseline'])
        got[name].push(run(builds[name], url, keepAlive));
      const [a, b] = [got.branch.at(-1), got.baseline.at(-1)];
      console.log(
        `  ${mode} round ${i + 1}: branch ${a.us.toFixed(1)} µs/req ${Math.round(a.rps)} req/s, baseline ${b.us.toFixed(1)} µs/req ${Math.round(b.rps)} req/s`,
      );
    }
    for (const [name, runs] of Object.entries(got))
      console.log(
        `${mode} ${name}: median ${median(runs.map((r) => r.us)).toFixed(1)} µs CPU/request, ${Math.round(median(runs.map((r) => r.rps)))} req/s, ${runs.reduce((s, r) => s + r.failed, 0)} failed`,
      );
  }
  console.log(
    `load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
} finally {
  if (!process.env.URL) spawnSync('nginx', ['-p', tmp, '-c', join(tmp, 'nginx.conf'), '-s', 'quit']);
  setTimeout(() => rmSync(tmp, { recursive: true, force: true }), 300);
}
