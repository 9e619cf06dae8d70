import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished, TestRunner } from 'vitest';

/**
 * A fresh folder `<TMPDIR>/<prefix>XXXXXX`, removed when the test that made it ends or, made while the
 * file is collected (top level or a `describe` body), after that suite. Not from a `beforeAll`: vitest
 * drops a hook registered there, so use `mkdtempSync` with a matching `afterAll` (test/tmp-guard.ts
 * fails the run on whatever is left).
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  if (TestRunner.getCurrentTest()) onTestFinished(remove);
  else afterAll(remove);
  return dir;
}
