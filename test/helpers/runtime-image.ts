import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostFacts } from './host.js';

const root = join(import.meta.dirname, '..', '..');
export const cliBundle = join(root, 'dist', 'cli', 'index.js');
export const packageVersion = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
).version;

/** The runtime image's reference in the local registry: one per version, shared by the tests. */
export function runtimeImageRef(): string {
  return `${hostFacts()!.registry}/shipkit-itg/shipkit:${packageVersion}`;
}

/**
 * Builds the runtime image (the root Dockerfile on the local base image) with shipkit's own
 * build-push, as CI and the release do, and returns the build-push output. Docker's layer cache
 * makes a second build in the same run take a second or two.
 */
export function buildRuntimeImage(opts: { push?: boolean; extraArgs?: string[] } = {}): string {
  const facts = hostFacts()!;
  const args = [
    cliBundle,
    'build-push',
    '--context',
    root,
    '--build-args',
    `BASE_IMAGE=${facts.baseImage}`,
    '--build-args',
    `VERSION=${packageVersion}`,
    '--tags',
    runtimeImageRef(),
    '--labels',
    `org.opencontainers.image.version=${packageVersion}`,
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
