#!/usr/bin/env node
// The blue-green headline figure: failed requests and switch time while shipkit deploys, promotes,
// rolls back and promotes again under a steady load, for nginx and HAProxy. The load generator is
// its own process (scripts/bench/loadgen.mjs, node:http only); failures are counted from its record
// of every request, not from shipkit. Runs the built CLI (npm run build first).
//   node scripts/bench/bluegreen.mjs [--rate 200] [--lbs nginx,haproxy] [--base-image shipkit/base:bookworm]
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const rate = Number(arg('rate', '200'));
const lbs = arg('lbs', 'nginx,haproxy').split(',');
const base = arg('base-image', 'shipkit/base:bookworm');
const settle = Number(arg('settle', '6')) * 1000;
const cli = join(root, 'dist', 'cli', 'index.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

execFileSync('docker', [
  'build',
  '-q',
  '--build-arg',
  `NODE_IMAGE=${base}`,
  '-t',
  'skbg-bench-app:1',
  join(root, 'examples/lb-stack/app'),
]);
execFileSync('docker', ['tag', 'skbg-bench-app:1', 'skbg-bench-app:2']);

function shipkit(args) {
  return new Promise((resolve, reject) => {
    const p = spawn('node', [cli, 'bluegreen', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    p.stdout.on('data', (d) => (log += d));
    p.stderr.on('data', (d) => (log += d));
    p.on('close', (code) =>
      code === 0 ? resolve(log) : reject(new Error(`shipkit ${args[0]} exited ${code}:\n${log}`)),
    );
  });
}

const p99 = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.99 * s.length) - 1)];
};

async function run(lb, port) {
  const dir = mkdtempSync(join(tmpdir(), `skbg-bench-${lb}-`));
  const common = [
    '--name',
    `skbg-bench-${lb}`,
    '--lb',
    lb,
    '--lb-image',
    base,
    '--port',
    String(port),
    '--bind-address',
    '127.0.0.1',
    '--state-dir',
    dir,
    '--scale-down-delay',
    '10m',
    '--healthcheck-timeout',
    '10s',
  ];
  const out = join(dir, 'load.ndjson');
  const phases = [];
  let load;
  try {
    await shipkit([
      'deploy',
      ...common,
      '--image',
      'skbg-bench-app:1',
      '--version',
      '1.0.0',
      '--auto-promote',
    ]);
    load = spawn(
      'node',
      [
        join(root, 'scripts/bench/loadgen.mjs'),
        '--url',
        `http://127.0.0.1:${port}/`,
        '--rate',
        String(rate),
        '--duration',
        '600',
        '--out',
        out,
      ],
      { stdio: 'inherit' },
    );
    await sleep(settle);
    const step = async (name, args, target) => {
      const t0 = Date.now();
      await shipkit([...args, ...common]);
      phases.push({ name, t0, t1: Date.now(), target });
      await sleep(settle);
    };
    await step(
      'deploy 2.0.0 to green',
      ['deploy', '--image', 'skbg-bench-app:2', '--version', '2.0.0'],
      null,
    );
    await step('promote green', ['promote'], 'green');
    await step('rollback to blue', ['rollback'], 'blue');
    await step('promote green again', ['promote'], 'green');
    load.kill('SIGTERM');
    await new Promise((r) => load.on('close', r));
  } finally {
    if (load && load.exitCode === null) load.kill('SIGTERM');
    await shipkit(['status', ...common])
      .then((s) => process.stderr.write(s))
      .catch(() => undefined);
    for (const p of [`skbg-bench-${lb}-blue`, `skbg-bench-${lb}-green`, `skbg-bench-${lb}-lb`]) {
      execFileSync(
        'docker-compose',
        ['-p', p, '-f', join(dir, 'compose', `${p.split('-').pop()}.yml`), 'down', '-t', '5'],
        { stdio: 'ignore' },
      );
    }
    execFileSync('docker', ['network', 'rm', `skbg-bench-${lb}-net`], { stdio: 'ignore' });
  }
  const recs = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  rmSync(dir, { recursive: true, force: true });
  const failed = recs.filter((r) => r.err || !r.e);
  const lat = (a, b) => p99(recs.filter((r) => r.s >= a && r.s < b && r.e).map((r) => r.e - r.s));
  const rows = phases.map((ph, i) => {
    let switchMs = null;
    if (ph.target) {
      // Responses to requests started between this command's start and the next command's start.
      const until = phases[i + 1]?.t0 ?? Infinity;
      const after = recs.filter((r) => r.s >= ph.t0 && r.s < until && r.c);
      const lastOld = Math.max(ph.t0, ...after.filter((r) => r.c !== ph.target).map((r) => r.s));
      const firstNew = after.find((r) => r.s >= lastOld && r.c === ph.target);
      switchMs = firstNew ? firstNew.s - ph.t0 : null;
    }
    return {
      phase: ph.name,
      commandMs: ph.t1 - ph.t0,
      switchMs,
      failures: failed.filter((r) => r.s >= ph.t0 && r.s < (phases[i + 1]?.t0 ?? Infinity)).length,
      p99Before: lat(ph.t0 - settle + 500, ph.t0),
      p99During: lat(ph.t0, ph.t1),
      p99After: lat(ph.t1, ph.t1 + settle),
    };
  });
  const kinds = { ka: 0, new: 0 };
  for (const r of recs) kinds[r.k]++;
  const byErr = {};
  for (const r of failed)
    byErr[`${r.k}:${r.err || 'unfinished'}`] = (byErr[`${r.k}:${r.err || 'unfinished'}`] ?? 0) + 1;
  const secs = (recs.at(-1).s - recs[0].s) / 1000;
  return {
    lb,
    requests: recs.length,
    keepAlive: kinds.ka,
    newConn: kinds.new,
    rate: Math.round(recs.length / secs),
    failures: failed.length,
    byErr,
    // For failed keep-alive requests: ms the reused socket had sat idle (-1: a fresh socket).
    failedIdleMs: failed.filter((r) => r.k === 'ka').map((r) => r.idle),
    rows,
  };
}

const results = [];
let port = 15460;
for (const lb of lbs) {
  results.push(await run(lb, port));
  port += 2;
}
const f = (n) => (n === null || Number.isNaN(n) ? '-' : String(Math.round(n)));
for (const r of results) {
  console.log(
    `\n${r.lb}: ${r.requests} requests (${r.keepAlive} keep-alive, ${r.newConn} new connections, ~${r.rate} req/s), ${r.failures} failed ${JSON.stringify(r.byErr)}${r.failedIdleMs.length ? `, failed keep-alive sockets idle for ${r.failedIdleMs.join(', ')} ms` : ''}`,
  );
  console.log('| phase | command ms | switch ms | failures | p99 before ms | p99 during ms | p99 after ms |');
  console.log('|---|---|---|---|---|---|---|');
  for (const x of r.rows)
    console.log(
      `| ${x.phase} | ${x.commandMs} | ${f(x.switchMs)} | ${x.failures} | ${f(x.p99Before)} | ${f(x.p99During)} | ${f(x.p99After)} |`,
    );
}
console.log(`\nJSON ${JSON.stringify(results)}`);
