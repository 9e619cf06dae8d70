#!/usr/bin/env node
// Blue-green on a three-node Docker Swarm (scripts/swarm-rig.sh, three managers): failed requests
// through deploy → promote → rollback with the load spread over every node's LB (one independent
// load generator per node, scripts/bench/loadgen.mjs: half keep-alive, half a new connection per
// request), and the switch time of each promote/rollback, from the command's start (the CLI process
// spawned, or the command's function called in this process, which leaves out node's own start-up)
// until every node's LB answers with the new colour (each node polled every 5 ms on its live port,
// /__shipkit/lb). Prints the figures and a JSON line; leaves nothing behind.
//   node scripts/bench/bluegreen-swarm.mjs [--lb haproxy|nginx] [--rate 360] [--min-requests 20000] [--keep-rig]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { importFromSource } from './from-source.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const rate = Number(arg('rate', '360'));
const minRequests = Number(arg('min-requests', '20000'));
const base = arg('base-image', 'shipkit/base:bookworm');
const settle = Number(arg('settle', '6')) * 1000;
const keepRig = process.argv.includes('--keep-rig');
const lb = arg('lb', 'haproxy');
if (!['haproxy', 'nginx'].includes(lb)) throw new Error(`--lb takes haproxy or nginx, got ${lb}`);
const PREFIX = process.env.SHIPKIT_SWARM_RIG_PREFIX ?? 'skbg-bench';
const SUBNET = process.env.SHIPKIT_SWARM_RIG_SUBNET ?? '10.234.0';
const PORT = 38080;
// One app per LB: destroy keeps the state (its history), which names the LB it ran with.
const NAME = lb === 'nginx' ? 'skbg-bench-swn' : 'skbg-bench-sw';
const nodes = [1, 2, 3].map((i) => `${SUBNET}.${10 + i}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const rigEnv = {
  ...process.env,
  SWARM_RIG_PREFIX: PREFIX,
  SWARM_RIG_SUBNET: SUBNET,
  SWARM_RIG_NODES: '3',
  SWARM_RIG_MANAGERS: '3',
};
delete rigEnv.DOCKER_HOST;
const rig = (...args) =>
  execFileSync('bash', [join(root, 'scripts/swarm-rig.sh'), ...args], { env: rigEnv, stdio: 'inherit' });

// The CLI from source, so the figures are of this checkout (dist/ is rebuilt only at release).
const work = mkdtempSync(join(tmpdir(), 'skbg-bench-sw-'));
const cli = join(work, 'cli.mjs');
await build({
  entryPoints: [join(root, 'src/entries/cli.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: cli,
  logLevel: 'silent',
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});

// The same command in this process: what the promote itself takes, without node's start-up.
const lib = join(work, 'lib.mjs');
const inproc = await importFromSource(
  [
    "export { getInputs, runBlueGreen } from './src/blue-green/step.ts';",
    "export { InputReader, inputsFrom } from './src/core/inputs.ts';",
    "export { MemoryPlatform } from './src/platform/memory.ts';",
  ].join('\n'),
  lib,
);

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

const common = [
  '--engine',
  'swarm',
  '--lb',
  lb,
  '--name',
  NAME,
  '--lb-image',
  base,
  '--port',
  String(PORT),
  '--publish-mode',
  'host',
  '--scale-down-delay',
  '10m',
  '--healthcheck-timeout',
  '10s',
  '--health-timeout',
  '120s',
];
function shipkit(args, via = 1) {
  return new Promise((resolve, reject) => {
    const p = spawn('node', [cli, 'bluegreen', ...args, ...common], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DOCKER_HOST: `tcp://${nodes[via - 1]}:2375` },
    });
    let log = '';
    p.stdout.on('data', (d) => (log += d));
    p.stderr.on('data', (d) => (log += d));
    p.on('close', (code) =>
      code === 0 ? resolve(log) : reject(new Error(`shipkit ${args[0]} exited ${code}:\n${log}`)),
    );
  });
}

/** The colour node `ip`'s LB routes live traffic to (its own answer on the live port). */
function liveOn(ip) {
  return new Promise((resolve) => {
    const req = http.get(
      { host: ip, port: PORT, path: '/__shipkit/lb', agent: false, timeout: 1000 },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        // HAProxy's live frontend answers `live=<c>`, nginx's colour server `colour=<c>`.
        res.on('end', () => resolve(/(?:live|colour)=(\w+)/.exec(body)?.[1] ?? ''));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(''));
  });
}

/** Runs a command in this process against node `via` (the CLI's flags as inputs). */
async function inProcess(command, via) {
  const values = { command };
  for (let i = 0; i < common.length; i += 2) values[common[i].slice(2)] = common[i + 1];
  const env = { DOCKER_HOST: `tcp://${nodes[via - 1]}:2375` };
  const platform = new inproc.MemoryPlatform();
  const inputs = inproc.getInputs(new inproc.InputReader(inproc.inputsFrom(values)), env);
  // The manager is in `inputs` (getInputs read env); the fourth argument is test hooks.
  await inproc.runBlueGreen(inputs, platform);
  return platform.lines.map((l) => l.message).join('\n');
}

/**
 * Runs a switching command (a spawned CLI, or in this process); returns ms from its start until
 * every node answers `to`, and the switch time the command itself reports.
 */
async function timedSwitch(args, to, via, how = 'cli') {
  const t0 = performance.now();
  const seen = new Map();
  let done = false;
  const pollers = nodes.map(async (ip) => {
    while (!done) {
      const c = await liveOn(ip);
      if (c === to && !seen.has(ip)) seen.set(ip, performance.now() - t0);
      if (c !== to) seen.delete(ip); // must hold, not flicker
      await sleep(5);
    }
  });
  const log = how === 'cli' ? await shipkit(args, via) : await inProcess(args[0], via);
  const deadline = performance.now() + 10_000;
  while (seen.size < nodes.length && performance.now() < deadline) await sleep(5);
  done = true;
  await Promise.all(pollers);
  const inCommand = Number(/routes live traffic to \w+ \((\d+) ms\)/.exec(log)?.[1] ?? NaN);
  return {
    allNodesMs: Math.round(Math.max(...seen.values())),
    inCommandMs: inCommand,
    commandMs: Math.round(performance.now() - t0),
  };
}

const tRig = Date.now();
rig('up', base, 'skbg-bench-app:1', 'skbg-bench-app:2');
const rigS = (Date.now() - tRig) / 1000;
const loads = [];
const phases = [];
let result;
try {
  await shipkit(['deploy', '--image', 'skbg-bench-app:1', '--version', '1.0.0', '--auto-promote']);
  const tLoad = Date.now();
  const minMs = Math.ceil((minRequests / rate) * 1000) + 5000;
  for (const ip of nodes) {
    const out = join(work, `load-${ip}.ndjson`);
    const p = spawn(
      'node',
      [
        join(root, 'scripts/bench/loadgen.mjs'),
        '--url',
        `http://${ip}:${PORT}/`,
        '--rate',
        String(rate / nodes.length),
        '--duration',
        '900',
        '--out',
        out,
      ],
      { stdio: 'inherit' },
    );
    loads.push({ p, out, ip });
  }
  await sleep(settle);
  const step = async (name, fn) => {
    const t0 = Date.now();
    const r = await fn();
    phases.push({ name, t0, t1: Date.now(), ...r });
    await sleep(settle);
  };
  await step(
    'deploy 2.0.0 to green',
    async () => (await shipkit(['deploy', '--image', 'skbg-bench-app:2', '--version', '2.0.0'], 2), {}),
  );
  await step('promote green (node 1, in-process)', () => timedSwitch(['promote'], 'green', 1, 'in-process'));
  await step('rollback to blue (node 3, in-process)', () =>
    timedSwitch(['rollback'], 'blue', 3, 'in-process'),
  );
  await step('promote green (node 2, CLI process)', () => timedSwitch(['promote'], 'green', 2));
  await step('rollback to blue (node 1, CLI process)', () => timedSwitch(['rollback'], 'blue', 1));
  while (Date.now() - tLoad < minMs) await sleep(500);
  for (const l of loads) l.p.kill('SIGTERM');
  await Promise.all(loads.map((l) => new Promise((r) => (l.p.exitCode !== null ? r() : l.p.on('close', r)))));
  const recs = loads.flatMap((l) =>
    readFileSync(l.out, 'utf8')
      .trim()
      .split('\n')
      .map((x) => ({ ...JSON.parse(x), ip: l.ip })),
  );
  const failed = recs.filter((r) => r.err || !r.e);
  const span = (Math.max(...recs.map((r) => r.s)) - Math.min(...recs.map((r) => r.s))) / 1000;
  result = {
    lb,
    rigUpS: rigS,
    requests: recs.length,
    failed: failed.length,
    rate: Math.round(recs.length / span),
    keepAlive: recs.filter((r) => r.k === 'ka').length,
    perNode: Object.fromEntries(nodes.map((ip) => [ip, recs.filter((r) => r.ip === ip).length])),
    failures: failed.slice(0, 10).map((r) => ({ at: r.s, node: r.ip, kind: r.k, err: r.err })),
    phases: phases.map(({ name, t0, t1, allNodesMs, inCommandMs, commandMs }) => ({
      name,
      seconds: (t1 - t0) / 1000,
      ...(allNodesMs !== undefined ? { allNodesMs, inCommandMs, commandMs } : {}),
      failedDuring: failed.filter((r) => r.s >= t0 && r.s < t1 + settle).length,
    })),
  };
} finally {
  for (const l of loads) if (l.p.exitCode === null) l.p.kill('SIGTERM');
  await shipkit(['destroy']).catch((e) => process.stderr.write(String(e)));
  if (!keepRig) rig('down');
  rmSync(work, { recursive: true, force: true });
}
console.log(
  `\nblue-green on a three-node Swarm (${lb === 'nginx' ? 'nginx' : 'HAProxy'} global service, publish mode=host, ${rate} req/s over 3 nodes' LBs)`,
);
console.log(`rig up: ${result.rigUpS.toFixed(1)} s`);
console.log(
  `requests: ${result.requests} (${result.keepAlive} keep-alive), ~${result.rate} req/s, failed: ${result.failed}`,
);
console.log(`per node: ${JSON.stringify(result.perNode)}`);
for (const p of result.phases)
  console.log(
    `  ${p.name.padEnd(40)} ${p.seconds.toFixed(1).padStart(6)} s  failed ${p.failedDuring}` +
      (p.allNodesMs !== undefined
        ? `  every node on the new colour ${p.allNodesMs} ms after the command started (switch inside the command ${p.inCommandMs} ms; command ${p.commandMs} ms)`
        : ''),
  );
console.log(JSON.stringify(result));
