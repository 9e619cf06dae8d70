import { exec, onPath } from '../core/exec.js';
import { detectCompose, type ComposeCommand } from '../docker/cli.js';
import { V1, V2 } from './plan.js';

let found: Promise<ComposeCommand> | undefined;

/**
 * The compose command, like `detectCompose()` but without running `docker-compose version`: v1 is
 * a Python program whose start costs 0.5–5 s on a busy runner, and `up` already pays for two
 * (the pre-flight `config` and `up`). `docker compose version` (Go, fast) decides v2; otherwise a
 * `docker-compose` on PATH is taken as v1 and the pre-flight `config` proves that it works.
 * Falls back to `detectCompose()` (and its error) when neither is found.
 */
export function findCompose(): Promise<ComposeCommand> {
  found ??= (async () => {
    const v2 = await exec('docker', ['compose', 'version'], { check: false }).catch(() => undefined);
    if (v2?.code === 0) return V2;
    if (onPath('docker-compose')) return V1;
    return detectCompose();
  })();
  return found;
}
