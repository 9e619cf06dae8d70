import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFileCommands } from './gha.js';
import { hostFacts } from './host.js';

const root = join(import.meta.dirname, '..', '..');
export const cliBundle = join(root, 'dist', 'cli', 'index.js');
export const packageVersion = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
).version;

/** The runtime image's repository in the local registry, shared by the tests. */
const repository = () => `${hostFacts()!.registry}/shipkit-itg/shipkit`;

/** The runtime image's reference in the local registry: its version tag. */
export function runtimeImageRef(): string {
  return `${repository()}:${packageVersion}`;
}

/**
 * Tags and OCI labels from shipkit's own meta, as the release workflow computes them for a `v<version>`
 * tag (here from the local Git checkout; empty labels, which only GitHub's API fills, are left to the
 * Dockerfile's LABEL lines).
 */
function metaFor(version: string): { tags: string[]; labels: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'shipkit-meta-'));
  const outputs = join(dir, 'outputs');
  try {
    execFileSync(
      process.execPath,
      [
        cliBundle,
        'meta',
        '--context',
        'git',
        '--images',
        repository(),
        '--tags',
        `type=semver,pattern={{version}},value=v${version}`,
        '--labels',
        'org.opencontainers.image.title=shipkit',
      ],
      // RUNNER_TEMP: meta's bake files go to `dir` too, removed below.
      { cwd: root, stdio: 'ignore', env: { ...process.env, SHIPKIT_OUTPUT: outputs, RUNNER_TEMP: dir } },
    );
    const out = parseFileCommands(readFileSync(outputs, 'utf8'));
    return {
      tags: out.tags.split('\n').filter(Boolean),
      labels: out.labels.split('\n').filter((l) => l && !l.endsWith('=')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Builds the runtime image (the root Dockerfile on the local base image) with shipkit's own meta and
 * build-push, as CI and the release do, and returns the build-push output. Docker's layer cache
 * makes a second build in the same run take a second or two.
 */
export function buildRuntimeImage(opts: { push?: boolean; extraArgs?: string[] } = {}): string {
  const facts = hostFacts()!;
  const meta = metaFor(packageVersion);
  const args = [
    cliBundle,
    'build-push',
    '--context',
    root,
    '--build-args',
    `BASE_IMAGE=${facts.baseImage}`,
    '--build-args',
    `VERSION=${packageVersion}`,
    ...meta.tags.flatMap((t) => ['--tags', t]),
    ...meta.labels.flatMap((l) => ['--labels', l]),
    '--push',
    String(opts.push ?? false),
    ...(opts.push ? ['--username', facts.registryUser, '--password', facts.registryPassword] : []),
    ...(opts.extraArgs ?? []),
  ];
  return execFileSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
