import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { removeGcTempDirs, removeStackTempDir, stackTempDir } from './temp.js';

afterEach(() => vi.unstubAllEnvs());

/** A project's generated-files folder with an override in it, under a test's own TMPDIR. */
function made(project: string): string {
  const dir = stackTempDir(project);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.override.yml'), 'services: {}\n');
  return dir;
}

describe("the stack's generated-files folder", () => {
  it('goes with its project, and <tmp>/shipkit-stack with the last one', async () => {
    const tmp = tempDir('skstack-temp-');
    vi.stubEnv('TMPDIR', tmp);
    const [a, b] = [made('skstack-a'), made('skstack-b')];
    expect(a).toBe(join(tmp, 'shipkit-stack', 'skstack-a'));
    await removeStackTempDir(a);
    expect(existsSync(a)).toBe(false);
    expect(existsSync(b)).toBe(true);
    await removeStackTempDir(b);
    expect(existsSync(join(tmp, 'shipkit-stack'))).toBe(false);
  });

  it('gc removes the folders of the projects it swept, and none a hostile label names', async () => {
    const tmp = tempDir('skstack-temp-');
    vi.stubEnv('TMPDIR', tmp);
    const swept = made('skstack-killed-1');
    const kept = made('skstack-running-2');
    const outside = join(tmp, 'precious');
    mkdirSync(outside);
    await removeGcTempDirs(['skstack-killed-1', 'skstack-killed-1', '../precious', '..', 'Upper', '']);
    expect(existsSync(swept)).toBe(false);
    expect(existsSync(kept)).toBe(true);
    expect(existsSync(outside)).toBe(true);
  });
});
