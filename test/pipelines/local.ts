/** What the pipeline tests run locally: this checkout's CLI bundle and gitlab-ci-local. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
export const cli = join(root, 'dist', 'cli', 'index.js');
export const gcl = join(root, 'node_modules', '.bin', 'gitlab-ci-local');

/**
 * Removes a blue-green app a pipeline deployed (both colours, the LB, the network) through the CLI,
 * as a user would; its output is not shown. `extra` adds flags such as `--lb haproxy`.
 */
export function destroyApp(name: string, port: number, previewPort: number, extra: string[] = []): void {
  // In a directory of its own: the command writes its summary file where it runs.
  const here = mkdtempSync(join(tmpdir(), 'skpl-destroy-'));
  try {
    execFileSync(
      process.execPath,
      [
        cli,
        'bluegreen',
        'destroy',
        '--name',
        name,
        ...extra,
        '--port',
        String(port),
        '--preview-port',
        String(previewPort),
      ],
      { stdio: 'ignore', cwd: here },
    );
  } finally {
    rmSync(here, { recursive: true, force: true });
  }
}
