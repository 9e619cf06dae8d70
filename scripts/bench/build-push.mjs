#!/usr/bin/env node
// Benchmarks for the build-push step (issue 3). Run after `npm run build`, on a host prepared by
// scripts/setup-host.sh (dockerd, registry on 127.0.0.1:5000, base image shipkit/base:bookworm):
//   node scripts/bench/build-push.mjs [rounds=3]
// (1) Overhead: build + push a two-image stack through the shipkit CLI against the same `docker login`,
//     `docker build` and `docker push` commands run by a plain script, alternating order each round.
//     shipkit is measured with max-parallel 1 (the same sequential work: pure overhead) and with its
//     default max-parallel 2. Each run first changes one source file per image, so every run rebuilds
//     the COPY layer and pushes a new layer and manifest, as a CI run for a new commit does.
// (2) Warm rebuild: one image built cold (no cache) then again after one source file changed.
// Everything it creates is named skbp-bench-* and removed at the end (local images and registry tags).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
const ROUNDS = Number(process.argv[2] ?? 3);
const SERVICES = ['web', 'api'];

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
  mkdirSync(join(dir, s, 'src'), { recursive: true });
  writeFileSync(join(dir, s, 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, s, 'package.json'), `{"name":"${s}"}\n`);
  writeFileSync(join(dir, s, 'src', 'main.js'), `console.log('${s}');\n`);
}
const compose = (tag) =>
  `services:\n${SERVICES.map((s) => `  ${s}:\n    image: ${REG}/skbp-bench-${s}:${tag}\n    build:\n      context: ./${s}\n      args:\n        BASE_IMAGE: ${BASE}\n`).join('')}`;
const touch = (s, n) =>
  writeFileSync(join(dir, s, 'src', 'main.js'), `console.log('${s}', ${JSON.stringify(n)});\n`);

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
async function timed(fn) {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

async function viaShipkit(tag, parallel) {
  writeFileSync(join(dir, 'compose.yml'), compose(tag));
  SERVICES.forEach((s) => tagsMade.push([`skbp-bench-${s}`, tag]));
  await sh(
    'node',
    [
      join(ROOT, 'dist/cli/index.js'),
      'build-push',
      '--compose-file',
      join(dir, 'compose.yml'),
      '--username',
      USER,
      '--password',
      PASS,
      '--max-parallel',
      String(parallel),
    ],
    { cwd: dir },
  );
}

async function viaPlainScript(tag) {
  SERVICES.forEach((s) => tagsMade.push([`skbp-bench-${s}`, tag]));
  const cfg = mkdtempSync(join(tmpdir(), 'skbp-bench-cfg-'));
  const env = { ...process.env, DOCKER_CONFIG: cfg };
  await sh('docker', ['login', '--username', USER, '--password-stdin', REG], { env, input: PASS });
  for (const s of SERVICES)
    await sh(
      'docker',
      ['build', '-t', `${REG}/skbp-bench-${s}:${tag}`, '--build-arg', `BASE_IMAGE=${BASE}`, join(dir, s)],
      { env },
    );
  for (const s of SERVICES) await sh('docker', ['push', `${REG}/skbp-bench-${s}:${tag}`], { env });
  await sh('docker', ['logout', REG], { env });
  rmSync(cfg, { recursive: true, force: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => x.toFixed(2);

try {
  // Warm-up: first push of the base layers and a first build, so every measured run does the same work.
  await viaPlainScript('warmup');
  const times = { plain: [], seq: [], par: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? ['plain', 'seq', 'par'] : ['par', 'seq', 'plain'];
    for (const v of order) {
      SERVICES.forEach((s) => touch(s, `${v}-${r}`));
      const tag = `bench-${v}-${r}`;
      const t = await timed(() =>
        v === 'plain' ? viaPlainScript(tag) : viaShipkit(tag, v === 'seq' ? 1 : 2),
      );
      times[v].push(t);
      console.log(`round ${r + 1} ${v.padEnd(5)} ${fmt(t)} s`);
    }
  }
  const [p, s, q] = [median(times.plain), median(times.seq), median(times.par)];
  // Paired per round (same load on the shared machine), then the median of those ratios.
  const pairedSeq = median(times.seq.map((t, i) => t / times.plain[i]));
  const pairedPar = median(times.par.map((t, i) => t / times.plain[i]));
  const extra = median(times.seq.map((t, i) => t - times.plain[i]));
  const nodeStart = await timed(() => sh('node', [join(ROOT, 'dist/cli/index.js'), '--help']));
  console.log(
    `\noverhead (median of ${ROUNDS} rounds): plain script ${fmt(p)} s | shipkit max-parallel 1 ${fmt(s)} s | shipkit max-parallel 2 ${fmt(q)} s`,
  );
  console.log(
    `paired ratio vs plain script: max-parallel 1 ${pairedSeq.toFixed(3)} (goal <= 1.05), max-parallel 2 ${pairedPar.toFixed(3)}`,
  );
  console.log(
    `absolute overhead, max-parallel 1: ${fmt(extra)} s per run (of which starting node + the CLI bundle: ${fmt(nodeStart)} s)`,
  );

  // Warm rebuild against a cold build of the same image (no push: build time only).
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
