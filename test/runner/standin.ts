import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const STANDIN_IMAGE = 'skrun-standin:test';
export const PREFIX = 'skrun';

/** Builds the stand-in runner image FROM the local base image (a second build is a cache hit). */
export function buildStandin(baseImage = 'shipkit/base:bookworm'): void {
  execFileSync(
    'docker',
    [
      'build',
      '-q',
      '--build-arg',
      `BASE=${baseImage}`,
      '-t',
      STANDIN_IMAGE,
      join(import.meta.dirname, 'standin'),
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
}

/** Removes every runner container whose name carries `prefix` (test clean-up; ours only). */
export function removeOurRunnerContainers(prefix = PREFIX): void {
  const ids = execFileSync(
    'docker',
    ['ps', '-aq', '--filter', 'label=dev.shipkit.kind=runner', '--filter', `name=^${prefix}-`],
    {
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter(Boolean);
  if (ids.length) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
}

/** Runs a docker command and returns its stdout. */
export function dockerOut(args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' });
}
