#!/usr/bin/env node
// The blue-green headline figure: failed requests and switch time while shipkit deploys, promotes,
// rolls back and promotes again under a steady load, for nginx and HAProxy. The load generator is
// its own process (scripts/bench/loadgen.mjs, node:http only); failures are counted from its record
// of every request, not from shipkit. An independent poller (scripts/bench/poller.mjs) asks the live
// route back to back and gives the switch time as a user feels it: from the start of the promote or
// rollback command until every answer comes from the new colour. Each command's own steps (from
// its summary file) are printed as a profile. Runs the built CLI (npm run build first).
// Paired rounds: with --cli-b another build (e.g. main's, for a before/after figure on a busy
// machine) takes turns with --cli on the same app: each round is rollback + promote with one CLI
// and then with the other (ABBA order), and the felt switch is printed per CLI.
//   node scripts/bench/bluegreen.mjs [--rate 200] [--lbs nginx,haproxy] [--rounds 1] [--cli dist/cli/index.js]
//     [--cli-b /tmp/base/dist/cli/index.js] [--base-image shipkit/base:bookworm]
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feltSwitch } from './poller.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const rate = Number(arg('rate', '200'));
const lbs = arg('lbs', 'nginx,haproxy').split(',');
const base = arg('base-image', 'shipkit/base:bookworm');
const settle = Number(arg('settle', '6')) * 1000;
// Extra rollback → promote pairs after the first promote → rollback → promote (more samples).
const rounds = Number(arg('rounds', '1'));
const cli = arg('cli', join(root, 'dist', 'cli', 'index.js'));
const cliB = arg('cli-b', undefined);
/** Whether a build knows `summary-file` (older builds write no summary: no profile for them). */
const summaries = (path) =>
  execFileSync('node', [path, 'bluegreen', '--help'], { encoding: 'utf8' }).includes('summary-file');
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

function shipkit(args, path = cli) {
  return new Promise((resolve, reject) => {
    const p = spawn('node', [path, 'bluegreen', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SHIPKIT_DEBUG: '1' },
    });
    let log = '';
    p.stdout.on('data', (d) => (log += d));
    p.stderr.on('data', (d) => (log += d));
    p.on('close', (code) =>
      code === 0 ? resolve(log) : reject(new Error(`shipkit ${args[0]} exited ${code}:\n${log}`)),
    );
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One command's steps as its summary file lists them, and node's start-up (debug line). */
function profile(log, summaryFile) {
  const boot = /process up (\d+) ms before the command started/.exec(log)?.[1];
  const md = readFileSync(summaryFile, 'utf8');
  const steps = [...md.matchAll(/^\| (.+?) \| \+(\d+) ms \| (\d+) ms \| (?:ok|failed) \|$/gm)].map(
    (m) => `${m[1]} ${m[3]}`,
  );
  return [`node start ${boot ?? '?'}`, ...steps].join(', ');
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
  const summaryFile = join(dir, 'summary.md');
  const withSummary = (path) => (summaries(path) ? ['--summary-file', summaryFile] : []);
  const out = join(dir, 'load.ndjson');
  const pollOut = join(dir, 'poll.ndjson');
  const phases = [];
  let load;
  let poller;
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
    poller = spawn(
      'node',
      [join(root, 'scripts/bench/poller.mjs'), '--url', `http://127.0.0.1:${port}/`, '--out', pollOut],
      { stdio: 'inherit' },
    );
    await sleep(settle);
    const step = async (name, args, target, path = cli) => {
      const extra = withSummary(path);
      const t0 = Date.now();
      const log = await shipkit([...args, ...common, ...extra], path);
      const t1 = Date.now();
      const prof = extra.length ? profile(log, summaryFile) : '(no summary in this build)';
      phases.push({ name, t0, t1, target, cli: path === cli ? 'A' : 'B', profile: prof });
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
    for (let i = 1; i < rounds; i++) {
      await step(`rollback to blue (${i + 1})`, ['rollback'], 'blue');
      await step(`promote green (${i + 2})`, ['promote'], 'green');
    }
    if (cliB) {
      for (let i = 0; i < Number(arg('pairs', '3')); i++) {
        for (const path of i % 2 ? [cliB, cli] : [cli, cliB]) {
          const tag = path === cli ? 'A' : 'B';
          await step(`rollback to blue [${tag}]`, ['rollback'], 'blue', path);
          await step(`promote green [${tag}]`, ['promote'], 'green', path);
        }
      }
    }
    const closed = (p) => new Promise((r) => p.on('close', r));
    load.kill('SIGTERM');
    poller.kill('SIGTERM');
    await Promise.all([closed(load), closed(poller)]);
  } finally {
    if (load && load.exitCode === null) load.kill('SIGTERM');
    if (poller && poller.exitCode === null) poller.kill('SIGTERM');
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
  const ndjson = (file) =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  const recs = ndjson(out);
  const polls = ndjson(pollOut);
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
    const until = phases[i + 1]?.t0 ?? Infinity;
    return {
      phase: ph.name,
      commandMs: ph.t1 - ph.t0,
      switchMs,
      feltMs: ph.target ? feltSwitch(polls, ph.t0, until, ph.target) : null,
      cli: ph.cli,
      pollFailures: polls.filter((r) => r.s >= ph.t0 && r.s < until && r.err).length,
      profile: ph.profile,
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
  console.log(
    '| phase | command ms | switch ms (loadgen) | felt switch ms (poller) | failures (loadgen + poller) | p99 before ms | p99 during ms | p99 after ms |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const x of r.rows)
    console.log(
      `| ${x.phase} | ${x.commandMs} | ${f(x.switchMs)} | ${f(x.feltMs)} | ${x.failures} + ${x.pollFailures} | ${f(x.p99Before)} | ${f(x.p99During)} | ${f(x.p99After)} |`,
    );
  const felt = r.rows.filter((x) => x.feltMs !== null).map((x) => x.feltMs);
  if (felt.length)
    console.log(
      `${r.lb} felt switch (poller): median ${f(median(felt))} ms, max ${f(Math.max(...felt))} ms over ${felt.length} switches`,
    );
  if (cliB)
    for (const tag of ['A', 'B'])
      for (const op of ['promote', 'rollback']) {
        const xs = r.rows
          .filter((x) => x.phase.startsWith(op) && x.phase.endsWith(`[${tag}]`) && x.feltMs !== null)
          .map((x) => x.feltMs);
        if (xs.length)
          console.log(
            `${r.lb} paired ${tag} (${tag === 'A' ? cli : cliB}) ${op}: felt median ${f(median(xs))} ms (${xs.join(', ')})`,
          );
      }
  for (const x of r.rows) console.log(`  profile ${x.phase}: ${x.profile}`);
}
console.log(`\nJSON ${JSON.stringify(results)}`);
