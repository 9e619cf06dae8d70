#!/usr/bin/env node
// Issue 16's figures: what installing and starting shipkit costs outside this repository.
//   - npm package: tarball size; `npm install` of the tarball into an empty folder (offline) — median;
//   - runtime image: size, and what it adds to its base; `docker run --rm IMAGE shipkit --version`
//     wall time (cold start of a container) — median, with `docker run --rm BASE true` beside it as
//     the peer (the engine's own container start), so the ratio shows what shipkit adds;
//   - the GitLab example pipeline's lint + build + test jobs through gitlab-ci-local's docker executor
//     with the runtime image (as test/pipelines/gitlab-e2e.itg.test.ts runs them) — wall time.
// Runs the committed/built bundle (npm run build first). Use the docker lock on a shared machine:
//   flock /tmp/shipkit-docker.lock node scripts/bench/ship.mjs [--runs 5] [--no-pipeline]
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 5) || 5;
const env = Object.fromEntries(
  readFileSync(
    process.env.SHIPKIT_STATE_DIR ? `${process.env.SHIPKIT_STATE_DIR}/env` : '/var/lib/shipkit-dev/env',
    'utf8',
  )
    .split('\n')
    .filter((l) => l.includes('='))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);
const base = env.SHIPKIT_BASE_IMAGE;
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const image = `${env.SHIPKIT_REGISTRY}/shipkit-bench/shipkit:${version}`;
const work = mkdtempSync(join(tmpdir(), 'shipkit-bench-ship-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timed = (fn) => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const rows = [];
const row = (what, value, note = '') => {
  rows.push([what, value, note]);
  console.log(`${what}: ${value}${note ? `  (${note})` : ''}`);
};

try {
  // npm package
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }),
  );
  const tarball = join(work, packed.filename);
  row(
    'npm tarball',
    `${(statSync(tarball).size / 1024).toFixed(0)} KiB`,
    `${packed.files.length} files, unpacked ${(packed.unpackedSize / 1024).toFixed(0)} KiB`,
  );
  const installs = [];
  for (let i = 0; i < runs; i++) {
    const app = join(work, `app${i}`);
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name":"app","private":true}');
    installs.push(
      timed(() =>
        execFileSync(
          'npm',
          ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', tarball],
          {
            cwd: app,
            stdio: 'ignore',
            env: { ...process.env, npm_config_registry: 'http://127.0.0.1:9/' },
          },
        ),
      ),
    );
  }
  row('npm install of the tarball (offline)', `${median(installs).toFixed(0)} ms`, `median of ${runs}`);
  const bin = join(work, 'app0', 'node_modules', '.bin', 'shipkit');
  row(
    'installed `shipkit --version`',
    `${median(Array.from({ length: runs }, () => timed(() => execFileSync(bin, ['--version'])))).toFixed(0)} ms`,
    `median of ${runs}`,
  );

  // runtime image, built with shipkit's own build-push on the local base
  const buildMs = timed(() =>
    execFileSync(
      process.execPath,
      [
        join(root, 'dist/cli/index.js'),
        'build-push',
        '--context',
        root,
        '--build-args',
        `BASE_IMAGE=${base}`,
        '--build-args',
        `VERSION=${version}`,
        '--tags',
        image,
        '--push',
        'false',
        '--no-cache',
        'true',
      ],
      { cwd: root, stdio: 'ignore' },
    ),
  );
  row('image build (no cache, build-push)', `${(buildMs / 1000).toFixed(1)} s`, `base ${base}`);
  const size = (ref) =>
    Number(
      execFileSync('docker', ['image', 'inspect', '--format', '{{.Size}}', ref], { encoding: 'utf8' }).trim(),
    );
  row(
    'image size',
    mb(size(image)),
    `base ${mb(size(base))}, shipkit layers add ${mb(size(image) - size(base))}`,
  );
  const version1 = execFileSync('docker', ['run', '--rm', image, 'shipkit', '--version'], {
    encoding: 'utf8',
  }).trim();
  if (version1 !== `shipkit ${version}`) throw new Error(`image says ${version1}`);
  const cold = Array.from({ length: runs }, () =>
    timed(() => execFileSync('docker', ['run', '--rm', image, 'shipkit', '--version'])),
  );
  const peer = Array.from({ length: runs }, () =>
    timed(() => execFileSync('docker', ['run', '--rm', base, 'true'])),
  );
  row(
    '`docker run --rm IMAGE shipkit --version`',
    `${median(cold).toFixed(0)} ms`,
    `median of ${runs}; \`docker run --rm BASE true\` ${median(peer).toFixed(0)} ms, ratio ${(median(cold) / median(peer)).toFixed(2)}`,
  );

  // GitLab example pipeline: lint + build + test in the docker executor
  if (!process.argv.includes('--no-pipeline')) {
    const dir = join(work, 'pipeline');
    cpSync(join(root, 'examples', 'lb-stack'), dir, {
      recursive: true,
      filter: (s) => !s.includes('.github'),
    });
    cpSync(join(root, 'templates'), join(dir, 'templates'), { recursive: true });
    const doc = parse(readFileSync(join(root, 'pipelines', 'gitlab', '.gitlab-ci.yml'), 'utf8'));
    const port = 15695;
    const extra = {
      lint: { image },
      build: { image, 'docker-host': 'socket' },
      test: { image, 'docker-host': 'socket', url: `http://$SHIPKIT_DOCKER_HOSTNAME:${port}/` },
    };
    doc.include = doc.include
      .map((inc) => ({ name: /\/shipkit\/([\w-]+)@/.exec(inc.component)[1], inputs: inc.inputs }))
      .filter((inc) => inc.name in extra)
      .map((inc) => ({
        local: `templates/${inc.name}/template.yml`,
        inputs: { ...inc.inputs, ...extra[inc.name] },
      }));
    doc.variables = Object.fromEntries(
      Object.entries(doc.variables).map(([k, v]) => [
        k,
        v.replace('$CI_REGISTRY_IMAGE', `${env.SHIPKIT_REGISTRY}/shipkit-bench/lb-stack`),
      ]),
    );
    writeFileSync(join(dir, '.gitlab-ci.yml'), stringify(doc));
    const git = (...a) =>
      execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@example.com', ...a], {
        cwd: dir,
        stdio: 'ignore',
      });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'bench');
    const config = join(work, 'docker-config');
    mkdirSync(config);
    execFileSync(
      'docker',
      [
        '--config',
        config,
        'login',
        '-u',
        env.SHIPKIT_REGISTRY_USER,
        '--password-stdin',
        env.SHIPKIT_REGISTRY,
      ],
      {
        input: env.SHIPKIT_REGISTRY_PASSWORD,
        stdio: ['pipe', 'ignore', 'ignore'],
      },
    );
    chmodSync(config, 0o755);
    chmodSync(join(config, 'config.json'), 0o644);
    const args = [
      '--no-artifacts-to-source',
      '--pull-policy',
      'if-not-present',
      '--helper-image',
      base,
      '--volume',
      '/var/run/docker.sock:/var/run/docker.sock',
      '--volume',
      `${config}:${config}:ro`,
      '--extra-host',
      'host.docker.internal:host-gateway',
      '--ignore-schema-paths',
      '#/definitions/tags/minItems',
      '--variable',
      `DOCKER_CONFIG=${config}`,
      '--variable',
      'GITLAB_CI=true',
      '--variable',
      `NODE_IMAGE=${base}`,
      '--variable',
      `NGINX_IMAGE=${base}`,
      '--variable',
      `LB_PORT=${port}`,
      'shipkit-lint',
      'shipkit-build',
      'shipkit-test',
    ];
    let r;
    const ms = timed(
      () =>
        (r = spawnSync(join(root, 'node_modules/.bin/gitlab-ci-local'), args, {
          cwd: dir,
          encoding: 'utf8',
        })),
    );
    if (r.status !== 0) throw new Error(`pipeline failed:\n${(r.stdout + r.stderr).slice(-3000)}`);
    const jobTimes = [...(r.stdout + r.stderr).matchAll(/^(shipkit-\w+)\s+finished in ([\d.]+ \w+)/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    row(
      'GitLab example pipeline lint + build + test (docker executor)',
      `${(ms / 1000).toFixed(1)} s`,
      jobTimes.join(', '),
    );
  }

  console.log('\n| figure | value | notes |\n| --- | --- | --- |');
  for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
} finally {
  // The runtime image and what the pipeline pushed (all under shipkit-bench/, this script's own).
  const ours = spawnSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((ref) => ref.startsWith(`${env.SHIPKIT_REGISTRY}/shipkit-bench/`));
  if (ours.length) spawnSync('docker', ['rmi', ...ours], { stdio: 'ignore' });
  rmSync(work, { recursive: true, force: true });
}
