import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmdirSync, rmSync } from 'node:fs';

/** What scripts/setup-host.sh prepared: the local base image and the htpasswd registry. */
export interface HostFacts {
  baseImage: string;
  registry: string;
  registryUser: string;
  registryPassword: string;
}

const ENV_FILE = process.env.SHIPKIT_STATE_DIR
  ? `${process.env.SHIPKIT_STATE_DIR}/env`
  : '/var/lib/shipkit-dev/env';

/** Reads the facts written by scripts/setup-host.sh; `undefined` when set-up has not run. */
export function hostFacts(): HostFacts | undefined {
  if (!existsSync(ENV_FILE)) return undefined;
  const kv = Object.fromEntries(
    readFileSync(ENV_FILE, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return {
    baseImage: kv.SHIPKIT_BASE_IMAGE,
    registry: kv.SHIPKIT_REGISTRY,
    registryUser: kv.SHIPKIT_REGISTRY_USER,
    registryPassword: kv.SHIPKIT_REGISTRY_PASSWORD,
  };
}

function answers(file: string, args: string[]): boolean {
  try {
    execFileSync(file, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why an integration test cannot run here, or `undefined` when it can. Use with
 * `describe.skipIf(reason)` and put the reason in the describe's title, so a skip is visible.
 * CI installs everything, so there nothing is skipped.
 */
export function missingDocker(): string | undefined {
  if (!answers('docker', ['info'])) return 'no Docker engine answers (run scripts/setup-host.sh)';
  if (!hostFacts()) return 'scripts/setup-host.sh has not run (no base image / registry facts)';
  return undefined;
}

export function missingCommand(file: string, args = ['--version']): string | undefined {
  return answers(file, args) ? undefined : `${file} is not installed (run scripts/setup-host.sh)`;
}

/**
 * Removes a blue-green app's state from the default state dir (and the folders above it when they
 * are empty): tests that run the pipelines as users copy them keep state there, and leave none.
 */
export function removeDefaultState(name: string): void {
  rmSync(`/var/lib/shipkit/bluegreen/${name}`, { recursive: true, force: true });
  for (const d of ['/var/lib/shipkit/bluegreen', '/var/lib/shipkit'])
    try {
      rmdirSync(d);
    } catch {
      // not empty (another app's state), or absent
    }
}
