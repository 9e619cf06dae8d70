#!/usr/bin/env node
// `scripts/demo.sh --swarm`: the shipkit flow on a local three-node Docker Swarm (scripts/swarm-rig.sh):
// rig up → stack up --engine swarm (examples/lb-stack/compose.swarm.yml: 3 app replicas, nginx on every
// node) → smoke through every node with the failover drill (a task stopped through the manager) → smoke
// with a node drained → stack down → rig down. Leaves nothing behind, also when a phase fails.
// Then blue-green on the same swarm (docs/swarm.md): the example app deployed and promoted, a second
// version deployed, promoted and rolled back, every switch reaching every node's load balancer (HAProxy,
// or nginx with --lb nginx).
//
//   node scripts/demo-swarm.mjs [--keep-rig] [--lb haproxy|nginx]   (scripts/demo.sh --swarm prepares the host first)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist', 'cli', 'index.js');
const rigScript = join(root, 'scripts', 'swarm-rig.sh');
const work = mkdtempSync(join(tmpdir(), 'shipkit-demo-swarm-'));
const rigEnv = {
  ...process.env,
  SWARM_RIG_PREFIX: process.env.SWARM_RIG_PREFIX ?? 'shipkit-demo-swarm',
  SWARM_RIG_SUBNET: process.env.SWARM_RIG_SUBNET ?? '10.236.0',
  DOCKER_HOST: '',
};
const manager = `tcp://${rigEnv.SWARM_RIG_SUBNET}.11:2375`;
const image = process.env.SWARM_IMAGE ?? 'shipkit/base:bookworm';
const stack = `shipkit-demo-swarm-${Date.now().toString(36)}`;
const results = [];

function run(file, args, env) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const show = (chunk) => {
      for (const line of String(chunk).split('\n')) if (line.trim()) process.stdout.write(`    ${line}\n`);
    };
    child.stdout.on('data', show);
    child.stderr.on('data', show);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const shipkit = (args) =>
  run(process.execPath, [cli, ...args], { ...process.env, DOCKER_HOST: manager, NO_COLOR: '1' });

async function phase(title, fn) {
  process.stdout.write(`\n▶ ${title}\n`);
  const started = Date.now();
  const code = await fn();
  const ok = code === 0 || code === 'skipped';
  results.push({
    title,
    result: code === 'skipped' ? 'skipped' : ok ? 'ok' : `FAILED (${code})`,
    s: (Date.now() - started) / 1000,
  });
  process.stdout.write(
    `  ${code === 'skipped' ? '–' : ok ? '✓' : '✗'} ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
  if (!ok) throw new Error(`${title} failed`);
}

const stackArgs = [
  '--engine',
  'swarm',
  '--working-directory',
  'examples/lb-stack',
  '--compose-file',
  'compose.swarm.yml',
  '--project',
  stack,
];
const smokeArgs = (extra) => [
  'smoke',
  `http://${rigEnv.SWARM_RIG_SUBNET}.11:18080/`,
  '--name',
  'lb-stack',
  '--engine',
  'swarm',
  '--project-name',
  stack,
  '--service',
  'app',
  '--backend-header',
  'X-Served-By',
  '--requests',
  '300',
  '--concurrency',
  '6',
  '--report-dir',
  join(work, 'smoke'),
  ...extra,
];

const bgImage = 'shipkit-demo-bg';
const lbAt = process.argv.indexOf('--lb');
const lb = lbAt > 0 ? process.argv[lbAt + 1] : 'haproxy';
if (!['haproxy', 'nginx'].includes(lb)) throw new Error(`--lb takes haproxy or nginx, got ${lb}`);
const bgArgs = [
  '--engine',
  'swarm',
  '--lb',
  lb,
  '--name',
  'demo-bg',
  '--lb-image',
  image,
  '--port',
  '28080',
  '--publish-mode',
  'host',
  '--health-timeout',
  '2m',
];

let failed = false;
try {
  if (!existsSync(cli)) throw new Error('dist/cli/index.js is missing: npm run build');
  await phase(`three-node swarm (scripts/swarm-rig.sh up ${image})`, () =>
    run('bash', [rigScript, 'up', image], rigEnv),
  );
  await phase('stack up --engine swarm (3 app replicas, nginx on every node)', () =>
    shipkit(['stack', 'up', ...stackArgs, '--timeout', '3m', '--logs-dir', join(work, 'logs')]),
  );
  await phase('smoke through every node, failover drill (a task stopped through the manager)', () =>
    shipkit(smokeArgs(['--expect-backends-from-stack', '--failover', '--failover-timeout', '20s'])),
  );
  await phase('smoke with a node drained and set active again', () =>
    shipkit(
      smokeArgs([
        '--each-node',
        'false',
        '--failover',
        '--failover-drain',
        '--failover-scale-up',
        'false',
        '--failover-timeout',
        '30s',
      ]),
    ),
  );
  await phase('blue-green images (examples/lb-stack/app, versions 1 and 2) into every node', async () => {
    const b = spawnSync(
      'docker',
      ['build', '-q', '--build-arg', `NODE_IMAGE=${image}`, '-t', `${bgImage}:1`, 'examples/lb-stack/app'],
      { cwd: root, env: rigEnv, stdio: 'ignore' },
    );
    if (b.status !== 0) return b.status ?? 1;
    spawnSync('docker', ['tag', `${bgImage}:1`, `${bgImage}:2`], { env: rigEnv });
    return run('bash', [rigScript, 'load', `${bgImage}:1`, `${bgImage}:2`], rigEnv);
  });
  await phase(
    `blue-green: deploy 1 and promote it (${lb === 'nginx' ? 'nginx' : 'HAProxy'} on every node)`,
    () => shipkit(['bluegreen', 'deploy', ...bgArgs, '--image', `${bgImage}:1`, '--auto-promote']),
  );
  await phase('blue-green: deploy 2 to the idle colour, smoke-tested on the preview port', () =>
    shipkit(['bluegreen', 'deploy', ...bgArgs, '--image', `${bgImage}:2`]),
  );
  await phase('blue-green: promote (every node switched, or none)', () =>
    shipkit(['bluegreen', 'promote', ...bgArgs]),
  );
  await phase(
    'blue-green: rollback, then status',
    async () =>
      (await shipkit(['bluegreen', 'rollback', ...bgArgs])) || shipkit(['bluegreen', 'status', ...bgArgs]),
  );
} catch (err) {
  failed = true;
  process.stdout.write(`\n${err.message}\n`);
} finally {
  await phase('teardown (stack rm, then the rig: nodes, volumes, network)', async () => {
    await shipkit(['stack', 'down', ...stackArgs, '--logs-dir', join(work, 'logs')]);
    await shipkit(['bluegreen', 'destroy', ...bgArgs]);
    spawnSync('docker', ['rmi', `${bgImage}:1`, `${bgImage}:2`], { env: rigEnv, stdio: 'ignore' });
    if (!process.argv.includes('--keep-rig')) await run('bash', [rigScript, 'down'], rigEnv);
    const left = spawnSync(
      'docker',
      ['ps', '-aq', '--filter', `label=dev.shipkit.swarm-rig=${rigEnv.SWARM_RIG_PREFIX}`],
      {
        encoding: 'utf8',
        env: rigEnv,
      },
    ).stdout.trim();
    return left && !process.argv.includes('--keep-rig') ? 1 : 0;
  }).catch(() => (failed = true));
  rmSync(work, { recursive: true, force: true });
  process.stdout.write('\n| result | step | duration |\n| --- | --- | --- |\n');
  for (const r of results) process.stdout.write(`| ${r.result} | ${r.title} | ${r.s.toFixed(1)} s |\n`);
}
process.exitCode = failed ? 1 : 0;
