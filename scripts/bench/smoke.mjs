#!/usr/bin/env node
// Benchmark of the smoke step (issue 5), on the built CLI (run `npm run build` first):
//  1. throughput of the smoke client vs wrk on the same URL (the nginx example stack, 3 replicas),
//     same concurrency, in both modes: new connection per request (wrk with `Connection: close`)
//     and keep-alive (wrk's default). ROUNDS paired rounds per mode (wrk -t1, wrk -t2 and smoke with
//     SECONDS of wrk -t2's rate; smoke goes first in every second round, with the last round's
//     rate), so each ratio compares runs seconds apart on a machine whose load moves; the table
//     gives the medians (ratio: median of the per-round ratios). With a new connection per
//     request, each run waits until the host's TIME_WAIT sockets left by the run before have
//     drained (DRAIN=0: don't): docker-proxy holds them on its connections to the container,
//     and whichever client ran next paid for them (BENCHMARKS.md, issue 17, fourth pass).
//  2. failover detection times (stop / restart / scale-up) for nginx and HAProxy (FAILOVER=0: skip,
//     and start only the nginx stack).
// Bounded: a few seconds per measurement; stacks are torn down at the end, also on failure.
// Usage: node scripts/bench/smoke.mjs
//   (env: CONCURRENCY=20 SECONDS=4 ROUNDS=5 FAILOVER=1 DRAIN=1 BASE_IMAGE=shipkit/base:bookworm,
//    SMOKE_CLI=dist/cli/index.js, BASELINE_CLI=<other build's cli/index.js>)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const example = join(root, 'examples', 'lb-stack');
const cli = process.env.SMOKE_CLI ?? join(root, 'dist', 'cli', 'index.js');
const C = Number(process.env.CONCURRENCY ?? 20);
const SECONDS = Number(process.env.SECONDS ?? 4);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
// Another build of the CLI (e.g. main's dist/) run in each round too: an A/B of a change, paired.
const BASELINE = process.env.BASELINE_CLI;
const FAILOVER = process.env.FAILOVER !== '0';
const DRAIN = process.env.DRAIN !== '0';
const base = process.env.BASE_IMAGE ?? 'shipkit/base:bookworm';
const tmp = mkdtempSync(join(tmpdir(), 'sksmoke-bench-'));
const compose =
  spawnSync('docker', ['compose', 'version']).status === 0 ? ['docker', 'compose'] : ['docker-compose'];

const run = (file, args, opts = {}) =>
  execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
function stack(name, files, lbImage, port) {
  const env = join(tmp, `${name}.env`);
  writeFileSync(
    env,
    `NODE_IMAGE=${base}\nNGINX_IMAGE=${base}\nHAPROXY_IMAGE=${base}\nAPP_IMAGE=sksmoke-app:bench\nLB_IMAGE=${lbImage}\nLB_PORT=${port}\n`,
  );
  const args = ['-p', name, ...files.flatMap((f) => ['-f', join(example, f)]), '--env-file', env];
  return {
    name,
    files: files.map((f) => join(example, f)),
    env,
    port,
    c: (...a) => run(compose[0], [...compose.slice(1), ...args, ...a]),
  };
}
const nginx = stack('sksmoke-bench-nginx', ['compose.yml'], 'sksmoke-lb-nginx:bench', 15410);
const haproxy = stack(
  'sksmoke-bench-haproxy',
  ['compose.yml', 'compose.haproxy.yml'],
  'sksmoke-lb-haproxy:bench',
  15411,
);

function smoke(url, extra, entry = cli) {
  const dir = mkdtempSync(join(tmp, 'r-'));
  const r = spawnSync('node', [entry, 'smoke', url, '--min-backends', '0', '--report-dir', dir, ...extra], {
    encoding: 'utf8',
  });
  try {
    return JSON.parse(readFileSync(join(dir, 'smoke.json'), 'utf8')).targets[0];
  } catch {
    throw new Error(`smoke did not write a report:\n${r.stdout}\n${r.stderr}`);
  }
}
// TIME_WAIT sockets on the host (/proc/net/sockstat; other work on the machine adds a few).
const timeWait = () => Number(/^TCP:.* tw (\d+)/m.exec(readFileSync('/proc/net/sockstat', 'utf8'))?.[1] ?? 0);
/**
 * Waits (up to 70 s; a socket stays in TIME_WAIT 60 s) until fewer than 5,000 sockets are in
 * TIME_WAIT. A run at 10,000 new connections a second leaves up to ~28,000 behind, on
 * docker-proxy's connections to the container when the client closes first (wrk does): the
 * next run's connects then search a nearly used-up ephemeral port range. Returns the count seen
 * at the start of the run.
 */
async function drained() {
  const until = Date.now() + 70_000;
  while (DRAIN && timeWait() >= 5000 && Date.now() < until) await new Promise((r) => setTimeout(r, 1000));
  return timeWait();
}
function wrk(url, keepAlive, threads = 2) {
  const out = run('wrk', [
    `-t${threads}`,
    `-c${C}`,
    `-d${SECONDS}s`,
    ...(keepAlive ? [] : ['-H', 'Connection: close']),
    url,
  ]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)/.exec(out)?.[0] ?? 'none';
  return { rps, errors };
}

try {
  console.log(`# building images and starting nginx + HAProxy stacks (3 replicas each) on ${base}`);
  run('docker', [
    'build',
    '-q',
    '--build-arg',
    `NODE_IMAGE=${base}`,
    '-t',
    'sksmoke-app:bench',
    join(example, 'app'),
  ]);
  run('docker', [
    'build',
    '-q',
    '--build-arg',
    `NGINX_IMAGE=${base}`,
    '-t',
    'sksmoke-lb-nginx:bench',
    join(example, 'nginx'),
  ]);
  run('docker', [
    'build',
    '-q',
    '--build-arg',
    `HAPROXY_IMAGE=${base}`,
    '-t',
    'sksmoke-lb-haproxy:bench',
    join(example, 'haproxy'),
  ]);
  for (const s of FAILOVER ? [nginx, haproxy] : [nginx]) {
    // Backends first, then the LB with --no-deps: under load the app's 2 s healthcheck can time
    // out and compose v1 then refuses to start the LB. The smoke readiness wait covers the start.
    s.c('up', '-d', '--no-build', '--scale', 'app=3', 'app');
    s.c('up', '-d', '--no-build', '--no-deps', 'lb');
  }
  const url = `http://127.0.0.1:${nginx.port}/`;
  smoke(url, ['--requests', '200', '--concurrency', '4', '--ready-timeout', '90s']); // readiness + warm-up

  // `/` goes through nginx to the app replicas (the stack is the bottleneck on a small machine);
  // `/healthz` is answered by nginx itself, so it shows the client's own ceiling.
  const rows = [];
  const median = (xs) => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  for (const path of ['/', '/healthz']) {
    console.log(`\n## throughput, nginx example ${path}, concurrency ${C} (${ROUNDS} paired rounds)`);
    for (const keepAlive of [false, true]) {
      const mode = keepAlive ? 'keep-alive' : 'new connection per request';
      const r = {
        smoke: [],
        wrk: [],
        wrk1: [],
        ratio: [],
        ratio1: [],
        base: [],
        fails: 0,
        wrkErr: new Set(),
      };
      const target = url + path.slice(1);
      // Waits for TIME_WAIT to drain where a run leaves many (a new connection per request).
      const ready = async () => (keepAlive ? timeWait() : drained());
      const tw = [];
      for (let i = 0; i < ROUNDS; i++) {
        // wrk -t1 too: the smoke client is one event loop, wrk -t2 uses both cores.
        const wrks = async () => {
          tw.push(await ready());
          const w1 = wrk(target, keepAlive, 1).rps;
          tw.push(await ready());
          return { w1, w: wrk(target, keepAlive) };
        };
        // Smoke goes first in every second round, sized by the round before's wrk -t2 rate.
        const first = i % 2 ? undefined : await wrks();
        const n = Math.max(500, Math.round((first ?? { w: { rps: r.wrk.at(-1) } }).w.rps * SECONDS));
        const args = [
          '--requests',
          String(n),
          '--concurrency',
          String(C),
          ...(keepAlive ? ['--keep-alive'] : []),
        ];
        // With a baseline, the two builds take turns going first.
        tw.push(await ready());
        const b = BASELINE && i % 2 ? smoke(target, args, BASELINE) : undefined;
        if (b) tw.push(await ready());
        const s = smoke(target, args);
        if (BASELINE && !b) tw.push(await ready());
        const bb = BASELINE ? (b ?? smoke(target, args, BASELINE)) : undefined;
        const { w1, w } = first ?? (await wrks());
        if (BASELINE) r.base.push(bb.load.rps / w.rps);
        r.smoke.push(s.load.rps);
        r.wrk.push(w.rps);
        r.wrk1.push(w1);
        r.ratio.push(s.load.rps / w.rps);
        r.ratio1.push(s.load.rps / w1);
        r.fails += s.load.failures;
        if (w.errors !== 'none') r.wrkErr.add(w.errors);
        console.log(
          `  ${mode} round ${i + 1} (${first ? 'wrk' : 'smoke'} first): smoke ${Math.round(s.load.rps)} (${s.load.failures} failed), wrk -t2 ${Math.round(w.rps)}, wrk -t1 ${Math.round(w1)} req/s; ratio ${(s.load.rps / w.rps).toFixed(2)}${BASELINE ? `, baseline ${r.base.at(-1).toFixed(2)}` : ''}; TIME_WAIT at the runs' starts ${tw.splice(0).join('/')}; load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
        );
      }
      const row = {
        path,
        mode,
        smoke: Math.round(median(r.smoke)),
        wrk: Math.round(median(r.wrk)),
        ratio: median(r.ratio).toFixed(2),
        wrk1: Math.round(median(r.wrk1)),
        ratio1: median(r.ratio1).toFixed(2),
        range: `${Math.min(...r.ratio).toFixed(2)}–${Math.max(...r.ratio).toFixed(2)}`,
        base: BASELINE ? median(r.base).toFixed(2) : '',
      };
      rows.push(row);
      console.log(
        `${mode}: medians smoke ${row.smoke} req/s (${r.fails} failed in all rounds); wrk -t2 ${row.wrk} req/s (errors: ${[...r.wrkErr].join('; ') || 'none'}), ratio ${row.ratio} (rounds ${row.range}); wrk -t1 ${row.wrk1} req/s, ratio ${row.ratio1}${BASELINE ? `; baseline build ratio ${row.base}` : ''}`,
      );
    }
  }

  if (FAILOVER) console.log('\n## failover detection (stop one replica, start it again, scale up by one)');
  for (const [lb, s] of FAILOVER
    ? [
        ['nginx', nginx],
        ['haproxy', haproxy],
      ]
    : []) {
    const t = smoke(`http://127.0.0.1:${s.port}/`, [
      '--requests',
      '50',
      '--concurrency',
      '4',
      '--failover',
      '--failover-timeout',
      '20s',
      '--project-name',
      s.name,
      '--compose-files',
      s.files.join(','),
      '--env-file',
      s.env,
    ]);
    const f = t.failover;
    const ms = (v) => (v === undefined ? 'n/a' : `${Math.round(v)} ms`);
    console.log(
      `${lb}: stopped replica left after ${ms(f.detectMs)} (${f.stopErrors} failed), restarted replica served after ${ms(f.recoverMs)} (${f.restartErrors} failed), new replica served after ${ms(f.scaleUp?.ms)} (${f.scaleErrors} failed); ${f.requests} requests; checks ${t.passed ? 'passed' : 'FAILED'}`,
    );
  }
  console.log(
    `\nmedians of ${ROUNDS} paired rounds:\n| URL | mode | smoke req/s | wrk -t2 req/s | smoke/wrk -t2 (rounds) | wrk -t1 req/s | smoke/wrk -t1 |\n|---|---|---|---|---|---|---|`,
  );
  for (const r of rows)
    console.log(
      `| ${r.path} | ${r.mode} | ${r.smoke} | ${r.wrk} | ${r.ratio} (${r.range}) | ${r.wrk1} | ${r.ratio1} |`,
    );
} finally {
  for (const s of [nginx, haproxy]) {
    try {
      s.c('down', '-v', '--remove-orphans', '-t', '2');
    } catch (err) {
      console.error(`cleanup of ${s.name} failed: ${err.message}`);
    }
  }
  rmSync(tmp, { recursive: true, force: true });
}
