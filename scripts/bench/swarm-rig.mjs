#!/usr/bin/env node
// Figures for the Swarm test rig (issue 14): from nothing to a working three-node Swarm, and its memory.
//  - cold: the node image built from scratch (mmdebstrap + docker import, under a throw-away tag), then
//    nodes, swarm and the base image loaded into every node;
//  - warm: the same with the node image cached (what CI and the tests pay after the first run);
//  - memory of the three idle nodes, then with the example stack deployed (3 app tasks + nginx on each node);
//  - `down` until nothing is left.
// Usage: node scripts/bench/swarm-rig.mjs [--warm-only]   (run it under flock /tmp/shipkit-docker.lock)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const rig = join(root, 'scripts', 'swarm-rig.sh');
const cli = join(root, 'dist', 'cli', 'index.js');
const image = process.env.SHIPKIT_BASE_IMAGE ?? 'shipkit/base:bookworm';
const benchTag = `shipkit/swarm-node:bench-${process.pid}`;
const env = {
  ...process.env,
  SWARM_RIG_PREFIX: 'shipkit-bench-swarm',
  SWARM_RIG_SUBNET: '10.237.0',
  DOCKER_HOST: '',
};
const manager = 'tcp://10.237.0.11:2375';

function timed(args, extra = {}) {
  const t = performance.now();
  const r = spawnSync('bash', [rig, ...args], { env: { ...env, ...extra }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`swarm-rig.sh ${args[0]} failed:\n${r.stderr}`);
  const phases = Object.fromEntries(
    [...r.stderr.matchAll(/phase ([\w-]+): ([\d.]+) s/g)].map((m) => [m[1], Number(m[2])]),
  );
  const memory = Number(/total (\d+) MiB/.exec(r.stderr)?.[1] ?? NaN);
  return { s: (performance.now() - t) / 1000, phases, memory };
}

function memoryNow() {
  const r = spawnSync('bash', [rig, 'status'], { env, encoding: 'utf8' });
  return Number(/total (\d+) MiB/.exec(r.stdout)?.[1] ?? NaN);
}

const rows = [];
const show = (name, v) => {
  rows.push([name, v]);
  process.stdout.write(`${name.padEnd(58)} ${v}\n`);
};
const fmt = (r) =>
  `${r.s.toFixed(1)} s (${Object.entries(r.phases)
    .map(([k, v]) => `${k} ${v} s`)
    .join(', ')})`;

timed(['down']);
try {
  if (!process.argv.includes('--warm-only')) {
    const cold = timed(['up', image], { SWARM_RIG_NODE_IMAGE: benchTag });
    show('cold: nothing → 3-node swarm with the base image loaded', fmt(cold));
    const down = timed(['down']);
    show('down (nodes, volumes, network)', `${down.s.toFixed(1)} s`);
  }
  const warm = timed(['up', image]);
  show('warm (node image cached): nothing → 3-node swarm', fmt(warm));
  await new Promise((r) => setTimeout(r, 5000));
  show('memory, 3 idle nodes (sum of the node containers)', `${memoryNow()} MiB`);
  const up = spawnSync(
    process.execPath,
    [
      cli,
      'stack',
      'up',
      '--engine',
      'swarm',
      '--working-directory',
      join(root, 'examples/lb-stack'),
      '--compose-file',
      'compose.swarm.yml',
      '--project',
      'shipkit-bench-swarm-stack',
    ],
    { env: { ...process.env, DOCKER_HOST: manager }, encoding: 'utf8' },
  );
  if (up.status === 0) {
    await new Promise((r) => setTimeout(r, 3000));
    show('memory with the example stack (3 app tasks, nginx per node)', `${memoryNow()} MiB`);
  } else show('example stack', `did not come up: ${up.stdout.split('\n').slice(-3).join(' ')}`);
  // The stack's own teardown first (it also drops shipkit's temp folder of the stack), then the rig.
  spawnSync(
    process.execPath,
    [
      cli,
      'stack',
      'down',
      '--engine',
      'swarm',
      '--working-directory',
      join(root, 'examples/lb-stack'),
      '--compose-file',
      'compose.swarm.yml',
      '--project',
      'shipkit-bench-swarm-stack',
    ],
    { env: { ...process.env, DOCKER_HOST: manager }, stdio: 'ignore' },
  );
  const down = timed(['down']);
  show('down (nodes, volumes, network)', `${down.s.toFixed(1)} s`);
} finally {
  timed(['down']);
  spawnSync('docker', ['image', 'rm', benchTag], { env, stdio: 'ignore' });
}
const left = spawnSync(
  'docker',
  ['ps', '-aq', '--filter', 'label=dev.shipkit.swarm-rig=shipkit-bench-swarm'],
  { env, encoding: 'utf8' },
).stdout.trim();
show('containers left', left ? left.split('\n').length : 0);
