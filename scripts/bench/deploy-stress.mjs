#!/usr/bin/env node
// Deploy readiness under stress: deploy → promote cycles on one app, so each deploy replaces the
// idle colour's containers (Docker hands their addresses out again) and reloads the LB, with a
// busy loop on every core for the middle third of the cycles. Every third cycle aborts its first
// deploy and deploys again, so the LB last saw that colour with no replicas at all (the state in
// which a worker of the previous generation answers 502 'no live upstreams'). Every deploy of a healthy app that
// fails is a false failure. Prints, per LB: false failures of N deploys, and the time from a
// colour's replicas being healthy in Docker to every replica answering through the LB and to its
// preview smoke passing (median and worst), as shipkit logs them.
//   node scripts/bench/deploy-stress.mjs [--cycles 35] [--lbs nginx,haproxy] [--base-image shipkit/base:bookworm] [--cli path]
// The integration test test/blue-green/stress.itg.test.ts runs the same code with fewer cycles.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Builds the app image (the example stack's app on `base`) as `skbg-stress-app:1`. */
export function buildStressImage(base) {
  execFileSync(
    'docker',
    [
      'build',
      '-q',
      '--build-arg',
      `NODE_IMAGE=${base}`,
      '-t',
      'skbg-stress-app:1',
      join(root, 'examples/lb-stack/app'),
    ],
    { stdio: 'ignore' },
  );
  return 'skbg-stress-app:1';
}

function run(cli, args) {
  return new Promise((resolve) => {
    const p = spawn('node', [cli, 'bluegreen', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    p.stdout.on('data', (d) => (log += d));
    p.stderr.on('data', (d) => (log += d));
    p.on('close', (code) => resolve({ code, log }));
  });
}

/** A busy loop on every core for `ms` (bounded: each child ends by itself). */
function cpuLoad(ms) {
  const kids = cpus().map(() =>
    spawn('node', ['-e', `const end = Date.now() + ${ms}; while (Date.now() < end);`], { stdio: 'ignore' }),
  );
  return () => kids.forEach((k) => k.kill());
}

const tail = (log) => log.trim().split('\n').slice(-3).join(' | ');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

/**
 * Runs `cycles` deploy → promote cycles of a 2-replica app behind `lb`; the middle third under CPU
 * load. Returns every false failure with its message and the readiness times. Leaves nothing behind.
 */
export async function runStress({ cli, lb, image, baseImage, cycles, port, log = () => {} }) {
  const dir = mkdtempSync(join(tmpdir(), `skbg-stress-${lb}-`));
  const common = [
    ...['--name', `skbg-stress-${lb}`, '--lb', lb, '--lb-image', baseImage, '--port', String(port)],
    ...['--bind-address', '127.0.0.1', '--state-dir', dir, '--replicas', '2'],
    ...['--health-timeout', '60s', '--healthcheck-timeout', '10s', '--smoke-requests', '20'],
    // The replaced colour keeps running until the next deploy replaces it (a rollback window).
    ...['--scale-down-delay', '1h'],
  ];
  const failures = [];
  const reachableMs = [];
  const smokeMs = [];
  let deploys = 0;
  const t0 = Date.now();
  let stopLoad = () => {};
  try {
    for (let i = 1; i <= cycles; i++) {
      if (i === Math.floor(cycles / 3) + 1) stopLoad = cpuLoad(600_000);
      if (i === Math.floor((2 * cycles) / 3) + 1) stopLoad();
      const loaded = i > Math.floor(cycles / 3) && i <= Math.floor((2 * cycles) / 3);
      if (i % 3 === 0) {
        deploys++;
        const first = await run(cli, ['deploy', ...common, '--image', image, '--version', `1.${i}-a`]);
        if (first.code !== 0) failures.push({ cycle: i, step: 'deploy', loaded, message: tail(first.log) });
        const a = await run(cli, ['abort', ...common]);
        if (a.code !== 0) failures.push({ cycle: i, step: 'abort', loaded, message: tail(a.log) });
      }
      deploys++;
      const d = await run(cli, ['deploy', ...common, '--image', image, '--version', `1.${i}`]);
      const m =
        /every replica answered through the load balancer (\d+) ms .*preview smoke passed after (\d+) ms/.exec(
          d.log,
        );
      if (m) {
        reachableMs.push(Number(m[1]));
        smokeMs.push(Number(m[2]));
      }
      if (d.code !== 0) {
        failures.push({
          cycle: i,
          step: 'deploy',
          loaded,
          message: tail(d.log),
        });
        await run(cli, ['abort', ...common]);
        log(`${lb} cycle ${i}${loaded ? ' (CPU load)' : ''}: deploy FAILED`);
        continue;
      }
      const p = await run(cli, ['promote', ...common]);
      if (p.code !== 0)
        failures.push({
          cycle: i,
          step: 'promote',
          loaded,
          message: tail(p.log),
        });
      log(
        `${lb} cycle ${i}${loaded ? ' (CPU load)' : ''}: deploy ${m ? `${m[1]}/${m[2]} ms` : 'ok'}, promote ${p.code === 0 ? 'ok' : 'FAILED'}`,
      );
    }
  } finally {
    stopLoad();
    await run(cli, ['destroy', ...common]);
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    lb,
    deploys,
    failures,
    wallMs: Date.now() - t0,
    reachable: { median: median(reachableMs), worst: Math.max(...reachableMs) },
    smoke: { median: median(smokeMs), worst: Math.max(...smokeMs) },
  };
}

async function main() {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const cycles = Number(arg('cycles', '35'));
  const baseImage = arg('base-image', 'shipkit/base:bookworm');
  // --cli: another build of shipkit (e.g. an older commit's dist/) to compare against.
  const cli = arg('cli', join(root, 'dist', 'cli', 'index.js'));
  const image = buildStressImage(baseImage);
  const results = [];
  let port = 15680;
  for (const lb of arg('lbs', 'nginx,haproxy').split(',')) {
    results.push(await runStress({ cli, lb, image, baseImage, cycles, port, log: (l) => console.error(l) }));
    port += 2;
  }
  for (const r of results) {
    console.log(
      `${r.lb}: false deploy failures ${r.failures.length} of ${r.deploys} deploys (${cycles} cycles, a third under CPU load on all ${cpus().length} cores), ` +
        `healthy → every replica answers through the LB: median ${r.reachable.median} ms, worst ${r.reachable.worst} ms; ` +
        `healthy → preview smoke passed: median ${r.smoke.median} ms, worst ${r.smoke.worst} ms; wall ${(r.wallMs / 1000).toFixed(0)} s`,
    );
    for (const f of r.failures)
      console.log(`  cycle ${f.cycle} ${f.step}${f.loaded ? ' (CPU load)' : ''}: ${f.message}`);
  }
  execFileSync('docker', ['rmi', image], { stdio: 'ignore' });
  process.exitCode = results.some((r) => r.failures.length) ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
