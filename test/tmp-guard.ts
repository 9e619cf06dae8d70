import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A leaked entry as a person reads it: `name` or `name/ (child, …)` for a folder (its children say which test). */
function describe(dir: string, name: string): string {
  const path = join(dir, name);
  if (!statSync(path).isDirectory()) return name;
  const children = readdirSync(path);
  return `${name}/ (${children.slice(0, 5).join(', ')}${children.length > 5 ? ', …' : ''})`;
}

/**
 * Tests keep state in temp dirs they remove: the run gets its own fresh TMPDIR (the workers and every
 * process a test starts inherit it, and `os.tmpdir()` reads it on each call), and at the end anything left
 * in it fails the run, then the folder goes. Used first in every vitest config's `globalSetup`, so its
 * teardown runs last, after the others (a Swarm rig's teardown is checked too).
 *
 * Vitest only logs an error thrown by a global teardown ("error during close") and still exits 0,
 * so the failure is `process.exitCode = 1`, set in this same (main) process.
 */
export default function setup(): () => void {
  const outer = tmpdir();
  const dir = mkdtempSync(join(outer, 'shipkit-test-'));
  process.env.TMPDIR = dir;
  return () => {
    process.env.TMPDIR = outer;
    const left = readdirSync(dir).sort();
    const lines = left.map((name) => `  ${describe(dir, name)}`);
    rmSync(dir, { recursive: true, force: true });
    if (!left.length) return;
    process.exitCode = 1;
    console.error(
      `\n[tmp-guard] FAIL: the tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in their TMPDIR ` +
        `(${dir}, now removed); remove them where they are made (afterEach/afterAll/onTestFinished):\n${lines.join('\n')}\n`,
    );
  };
}
