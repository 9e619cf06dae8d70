#!/usr/bin/env node
// Benchmarks for the build-push step (issue 3). Run after `npm run build`, on a host prepared by
// scripts/setup-host.sh (dockerd, registry on 127.0.0.1:5000, base image shipkit/base:bookworm):
//   node scripts/bench/build-push.mjs [rounds=3] [--cold] [--trace]
// (1) Overhead: build + push a two-image stack through the shipkit CLI against the same `docker login`,
//     `docker build` and `docker push` commands run by a plain script, alternating order each round.
//     The plain script's `docker build` gets exactly the flags shipkit passes: the same tags,
//     build-args and labels (shipkit adds meta's OCI labels `created` and `title`; on the classic
//     builder each label is a build step, so a script without them would do less work), the same
//     DOCKER_BUILDKIT=0 and --iidfile; the first round checks that both images carry the same labels.
//     Both log in to a fresh docker config and log out by removing it.
//     shipkit is measured with max-parallel 1 (the same sequential work: pure overhead) and with its
//     default max-parallel 2. Each run first changes one source file per image, so every run rebuilds
//     the COPY layer and pushes a new layer and manifest, as a CI run for a new commit does.
//     --cold: both sides build with --no-cache (a CI runner without a layer cache): every layer is
//     rebuilt and pushed anew.
// (2) Warm rebuild: one image built cold (no cache) then again after one source file changed (not with --cold).
// --example: the repository's example stack (examples/lb-stack, app and nginx lb, FROM the local base image)
//     instead of the synthetic one; with --cold, the closest to a cold CI build of it that runs offline (a real
//     one would also pull node:22-alpine and nginx:alpine, which makes the docker work longer and the ratio lower).
// --peer=<dir>/cli/index.js: also run that build of the CLI (e.g. a copy of main's dist) at max-parallel 1 in every
//     round, paired against the same plain-script runs: an A/B of two builds under the same load.
// --budget: also run this CLI at max-parallel 1 with a size budget it passes (--max-size 100GB): it then builds
//     every image before it pushes any, the plain script's order, so its ratio is shipkit's fixed cost alone,
//     without the push of one image overlapping the next build.
// Every run also reports the CPU time of the client side (node and every docker CLI it started; the builds run in
//     dockerd and are not counted) and the load average, since the machine is often shared.
// --trace: one more shipkit run (max-parallel 1) under `strace -f -e trace=execve`, printing each process
//     it started with its start offset and duration: where shipkit's extra wall time goes.
// Everything it creates is named skbp-bench-* and removed at the end (local images and registry tags).
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const envFile = Object.fromEntries(
  readFileSync(
    process.env.SHIPKIT_STATE_DIR ? `${process.env.SHIPKIT_STATE_DIR}/env` : '/var/lib/shipkit-dev/env',
    'utf8',
  )
    .split('\n')
    .filter((l) => l.includes('='))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);
const REG = envFile.SHIPKIT_REGISTRY;
const USER = envFile.SHIPKIT_REGISTRY_USER;
const PASS = envFile.SHIPKIT_REGISTRY_PASSWORD;
const BASE = envFile.SHIPKIT_BASE_IMAGE;
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const ROUNDS = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 3);
const COLD = flags.includes('--cold');
const TRACE = flags.includes('--trace');
const EXAMPLE = flags.includes('--example');
const BUDGET = flags.includes('--budget');
const PEER = flags.find((a) => a.startsWith('--peer='))?.slice('--peer='.length);
// --example: the repository's example stack (examples/lb-stack: app + nginx lb) FROM the local base image.
const SERVICES = EXAMPLE ? ['app', 'lb'] : ['web', 'api'];
const ARG = EXAMPLE ? { app: 'NODE_IMAGE', lb: 'NGINX_IMAGE' } : { web: 'BASE_IMAGE', api: 'BASE_IMAGE' };
// The file each run changes: a source file of the image, as a new commit does.
const SOURCE = EXAMPLE ? { app: 'server.js', lb: 'nginx.conf' } : { web: 'src/main.js', api: 'src/main.js' };

const dir = mkdtempSync(join(tmpdir(), 'skbp-bench-'));
const dockerfile = `ARG BASE_IMAGE=debian:bookworm-slim
FROM \${BASE_IMAGE}
RUN mkdir -p /srv/app /srv/data && useradd --system app || true
RUN head -c 4000000 /dev/urandom > /srv/data/blob.bin
COPY package.json /srv/app/
RUN node -e "let s=0;for(let i=0;i<6e7;i++)s+=i;require('fs').writeFileSync('/srv/app/deps.txt',String(s))"
COPY src/ /srv/app/src/
CMD ["node", "/srv/app/src/main.js"]
`;
for (const s of SERVICES) {
  if (EXAMPLE) {
    cpSync(join(ROOT, 'examples/lb-stack', s === 'lb' ? 'nginx' : s), join(dir, s), { recursive: true });
    continue;
  }
  mkdirSync(join(dir, s, 'src'), { recursive: true });
  writeFileSync(join(dir, s, 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, s, 'package.json'), `{"name":"${s}"}\n`);
  writeFileSync(join(dir, s, 'src', 'main.js'), `console.log('${s}');\n`);
}
const original = Object.fromEntries(SERVICES.map((s) => [s, readFileSync(join(dir, s, SOURCE[s]), 'utf8')]));
const compose = (tag) =>
  `services:\n${SERVICES.map((s) => `  ${s}:\n    image: ${REG}/skbp-bench-${s}:${tag}\n    build:\n      context: ./${s}\n      args:\n        ${ARG[s]}: ${BASE}\n`).join('')}`;
const touch = (s, n) =>
  writeFileSync(join(dir, s, SOURCE[s]), `${original[s]}\n${s === 'lb' ? '#' : '//'} ${JSON.stringify(n)}\n`);

const tagsMade = [];
function sh(file, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], ...opts });
    let err = '';
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${file} ${args.join(' ')}: ${err.slice(-500)}`)),
    );
    child.stdin.end(opts.input ?? '');
  });
}
/** CPU seconds (user + system) of this process's finished children, from /proc (Linux). */
function childCpu() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
  return (Number(f[13]) + Number(f[14])) / 100; // cutime, cstime (fields 16, 17) in clock ticks (USER_HZ = 100)
}
async function timed(fn) {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

async function viaShipkit(
  tag,
  parallel,
  wrap = [],
  { cli = join(ROOT, 'dist/cli/index.js'), extra = [] } = {},
) {
  writeFileSync(join(dir, 'compose.yml'), compose(tag));
  SERVICES.forEach((s) => tagsMade.push([`skbp-bench-${s}`, tag]));
  await sh(
    wrap[0] ?? 'node',
    [
      ...(wrap.length ? [...wrap.slice(1), 'node'] : []),
      cli,
      'build-push',
      '--compose-file',
      join(dir, 'compose.yml'),
      '--username',
      USER,
      '--password',
      PASS,
      '--max-parallel',
      String(parallel),
      ...(COLD ? ['--no-cache'] : []),
      ...extra,
    ],
    { cwd: dir },
  );
}

// What shipkit's meta adds outside CI: the build time and the repository name (the folder name locally).
const metaLabels = () => [
  `org.opencontainers.image.created=${new Date().toISOString()}`,
  `org.opencontainers.image.title=${basename(dir)}`,
];

async function viaPlainScript(tag) {
  SERVICES.forEach((s) => tagsMade.push([`skbp-bench-${s}`, tag]));
  const cfg = mkdtempSync(join(tmpdir(), 'skbp-bench-cfg-'));
  const env = { ...process.env, DOCKER_CONFIG: cfg, DOCKER_BUILDKIT: '0' };
  await sh('docker', ['login', '--username', USER, '--password-stdin', REG], { env, input: PASS });
  const labels = metaLabels().flatMap((l) => ['--label', l]);
  for (const s of SERVICES)
    await sh(
      'docker',
      [
        'build',
        '--force-rm',
        '--build-arg',
        `${ARG[s]}=${BASE}`,
        ...labels,
        '--tag',
        `${REG}/skbp-bench-${s}:${tag}`,
        ...(COLD ? ['--no-cache'] : []),
        '--iidfile',
        join(cfg, `${s}.iid`),
        join(dir, s),
      ],
      { env },
    );
  for (const s of SERVICES) await sh('docker', ['push', `${REG}/skbp-bench-${s}:${tag}`], { env });
  // The credentials live only in this config's file: removing it is the logout (as shipkit does).
  rmSync(cfg, { recursive: true, force: true });
}

/** Fails the benchmark unless the plain script's images carry the same labels as shipkit's (fair peer). */
async function samePeerWork(plainTag, shipkitTag) {
  for (const s of SERVICES) {
    const labels = async (tag) => {
      const out = await sh('docker', [
        'image',
        'inspect',
        '--format',
        '{{json .Config.Labels}}',
        `${REG}/skbp-bench-${s}:${tag}`,
      ]);
      const l = JSON.parse(out) ?? {};
      delete l['org.opencontainers.image.created']; // the build time: differs, but present on both sides
      return JSON.stringify(Object.entries(l).sort());
    };
    const [a, b] = [await labels(plainTag), await labels(shipkitTag)];
    if (a !== b) throw new Error(`unfair peer: ${s} labels differ: plain ${a} vs shipkit ${b}`);
  }
  console.log('peer check: the plain script built with the same labels as shipkit');
}

/** One shipkit run under strace: every process started, when (ms after node started) and for how long. */
async function traceRun() {
  const file = join(dir, 'strace.txt');
  SERVICES.forEach((s) => touch(s, 'trace'));
  await viaShipkit('bench-trace', 1, [
    'strace',
    '-f',
    '-ttt',
    '-q',
    '-e',
    'trace=execve,exit_group',
    '-e',
    'signal=none',
    '-o',
    file,
  ]);
  const start = new Map();
  const end = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\d+)\s+([\d.]+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [pid, t, rest] = [m[1], Number(m[2]) * 1000, m[3]];
    if (rest.startsWith('execve(') && rest.endsWith('= 0'))
      start.set(pid, { t, cmd: /\[(.*?)\]/.exec(rest)[1].replace(/"/g, '').replace(/, /g, ' ') });
    else if (rest.startsWith('+++ exited')) end.set(pid, t);
  }
  const t0 = Math.min(...[...start.values()].map((s) => s.t));
  console.log('\ntrace of one shipkit run (max-parallel 1): start  duration  command');
  for (const [pid, s] of [...start].sort((a, b) => a[1].t - b[1].t))
    console.log(
      `${(s.t - t0).toFixed(0).padStart(6)} ms ${((end.get(pid) ?? NaN) - s.t).toFixed(0).padStart(6)} ms  ${s.cmd.slice(0, 110)}`,
    );
}

/** Warm rebuild against a cold build of the same image (no push: build time only). */
async function warmRebuild() {
  const local = 'skbp-bench-warm:latest';
  const build = (extra) =>
    sh(
      'node',
      [
        join(ROOT, 'dist/cli/index.js'),
        'build-push',
        join(dir, 'web'),
        '-t',
        local,
        '--push=false',
        '--build-args',
        `BASE_IMAGE=${BASE}`,
        ...extra,
      ],
      { cwd: dir },
    );
  // shipkit logs each image's build time ("built <id> in X s"): the docker build alone, no CLI start-up.
  const buildTime = (out) => Number(/built sha256:\S+ in ([\d.]+) s/.exec(out)?.[1]);
  let coldOut, warmOut;
  const cold = await timed(async () => (coldOut = await build(['--no-cache'])));
  touch('web', 'warm');
  const warm = await timed(async () => (warmOut = await build([])));
  const [cb, wb] = [buildTime(coldOut), buildTime(warmOut)];
  console.log(
    `warm rebuild, build time: cold ${fmt(cb)} s, warm (one source file changed) ${fmt(wb)} s, ratio ${(wb / cb).toFixed(3)} (goal <= 0.20)`,
  );
  console.log(
    `warm rebuild, whole CLI run: cold ${fmt(cold)} s, warm ${fmt(warm)} s, ratio ${(warm / cold).toFixed(3)}`,
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => x.toFixed(2);
const signed = (x) => (x < 0 ? '' : '+') + fmt(x);

try {
  // Warm-up: first push of the base layers and a first build, so every measured run does the same work.
  await viaPlainScript('warmup');
  const variants = ['plain', 'seq', ...(BUDGET ? ['seqb'] : []), ...(PEER ? ['peer'] : []), 'par'];
  const what = {
    plain: () => 'plain script',
    seq: () => 'shipkit max-parallel 1',
    seqb: () => 'shipkit max-parallel 1 with a size budget (builds all, then pushes)',
    peer: () => `peer ${PEER} max-parallel 1`,
    par: () => 'shipkit max-parallel 2',
  };
  const times = Object.fromEntries(variants.map((v) => [v, []]));
  const cpu = Object.fromEntries(variants.map((v) => [v, []]));
  const loads = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Each round a different order (rotated, and reversed every other round), so no variant always goes first.
    const rotated = variants.map((_, i) => variants[(i + r) % variants.length]);
    const order = r % 2 === 0 ? rotated : rotated.reverse();
    for (const v of order) {
      SERVICES.forEach((s) => touch(s, `${v}-${r}`));
      const tag = `bench-${v}-${r}`;
      const c0 = childCpu();
      const t = await timed(() =>
        v === 'plain'
          ? viaPlainScript(tag)
          : v === 'peer'
            ? viaShipkit(tag, 1, [], { cli: PEER })
            : viaShipkit(tag, v === 'par' ? 2 : 1, [], {
                extra: v === 'seqb' ? ['--max-size', '100GB'] : [],
              }),
      );
      times[v].push(t);
      cpu[v].push(childCpu() - c0);
      console.log(`round ${r + 1} ${v.padEnd(5)} ${fmt(t)} s  cpu ${fmt(cpu[v].at(-1))} s`);
    }
    loads.push(loadavg()[0]);
    console.log(`round ${r + 1} load average (1 min) ${loads.at(-1).toFixed(1)}`);
    if (r === 0) await samePeerWork('bench-plain-0', 'bench-seq-0');
  }
  // Start-up alone, best of 5: bare node, and node loading the CLI and the build-push step (its --help).
  const best = async (args) => {
    const ts = [];
    for (let i = 0; i < 5; i++) ts.push(await timed(() => sh('node', args)));
    return Math.min(...ts);
  };
  const bareNode = await best(['-e', '0']);
  const nodeStart = await best([join(ROOT, 'dist/cli/index.js'), 'build-push', '--help']);
  console.log(
    `\nmedians of ${ROUNDS} rounds (load average ${fmt(Math.min(...loads))}-${fmt(Math.max(...loads))}); ratios and differences paired per round (same load), then the median:`,
  );
  for (const v of variants) {
    const ratio = median(times[v].map((t, i) => t / times.plain[i]));
    const extra = median(times[v].map((t, i) => t - times.plain[i]));
    const extraCpu = median(cpu[v].map((t, i) => t - cpu.plain[i]));
    console.log(
      `  ${what[v]().padEnd(40)} ${fmt(median(times[v]))} s  cpu ${fmt(median(cpu[v]))} s` +
        (v === 'plain'
          ? ''
          : `  ratio ${ratio.toFixed(3)}${v === 'par' ? '' : ' (goal <= 1.05)'}  ${signed(extra)} s wall  ${signed(extraCpu)} s cpu`),
    );
  }
  console.log(
    `start-up: node + the CLI bundle (build-push --help) ${fmt(nodeStart)} s; bare node -e 0 ${fmt(bareNode)} s`,
  );

  if (TRACE) await traceRun();
  if (!COLD && !EXAMPLE) await warmRebuild();
} finally {
  const auth = `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`;
  for (const [repo, tag] of tagsMade) {
    const url = `http://${REG}/v2/${repo}/manifests/`;
    const h = await fetch(url + tag, {
      method: 'HEAD',
      headers: { authorization: auth, accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    const d = h.headers.get('docker-content-digest');
    if (d) await fetch(url + d, { method: 'DELETE', headers: { authorization: auth } });
    await run('docker', ['rmi', '-f', `${REG}/${repo}:${tag}`]).catch(() => undefined);
  }
  await run('docker', ['rmi', '-f', 'skbp-bench-warm:latest']).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
