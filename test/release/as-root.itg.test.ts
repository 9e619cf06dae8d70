import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostFacts, missingDocker } from '../helpers/host.js';

/**
 * README's two commands must work as root on a machine without sudo, and as a normal user who has
 * sudo. scripts/lib/as-root.sh (sourced by setup-host.sh, demo.sh and test.sh) decides; this runs
 * it for real in a throwaway Debian container (the local base image) — root without sudo, a user
 * without sudo, then the same user after sudo is installed from the Debian mirror.
 */
const root = join(import.meta.dirname, '..', '..');
const skip = missingDocker();

/** Sources as-root.sh as the scripts do, then says who it runs as and with which arguments. */
const PROBE = [
  '#!/usr/bin/env bash',
  'set -euo pipefail',
  'source /src/scripts/lib/as-root.sh',
  'as_root "$@"',
  'echo "uid=$(id -u) args=$* from=${SHIPKIT_AS_ROOT_FROM:-none}"',
  '',
].join('\n');

const SCRIPT = [
  'useradd -m dev',
  'echo "== root, no sudo"; bash /probe/probe.sh "a b" c; echo "rc=$?"',
  'echo "== user, no sudo"; su dev -c "bash /probe/probe.sh x" 2>&1; echo "rc=$?"',
  'apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends sudo >/dev/null 2>&1 || echo "sudo install failed"',
  'echo "dev ALL=(ALL) NOPASSWD:ALL" >/etc/sudoers.d/dev',
  `echo "== user, sudo"; su dev -c 'bash /probe/probe.sh "a b" c' 2>&1; echo "rc=$?"`,
].join('\n');

describe.skipIf(skip)(
  `scripts raise themselves with sudo only when needed${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('runs as root without sudo, refuses clearly without sudo, re-runs through sudo with the same arguments', () => {
      const probe = mkdtempSync(join(tmpdir(), 'shipkit-asroot-'));
      writeFileSync(join(probe, 'probe.sh'), PROBE);
      chmodSync(probe, 0o755);
      const r = spawnSync(
        'docker',
        [
          'run',
          '--rm',
          '-v',
          `${join(root, 'scripts')}:/src/scripts:ro`,
          '-v',
          `${probe}:/probe:ro`,
          hostFacts()!.baseImage,
          'bash',
          '-c',
          SCRIPT,
        ],
        { encoding: 'utf8', timeout: 300_000 },
      );
      rmSync(probe, { recursive: true, force: true });
      const out = r.stdout + r.stderr;
      expect(r.status, out).toBe(0);
      const [, rootNoSudo, userNoSudo, userSudo] = out.split(/^== .*$/m);
      expect(rootNoSudo).toContain('uid=0 args=a b c from=none');
      expect(rootNoSudo).toContain('rc=0');
      expect(userNoSudo).toContain('sudo is not installed: run it as root');
      expect(userNoSudo).toContain('rc=1');
      expect(out).not.toContain('sudo install failed');
      expect(userSudo).toContain('running it with sudo');
      expect(userSudo).toContain('uid=0 args=a b c from=dev');
      expect(userSudo).toContain('rc=0');
    }, 300_000);
  },
);
