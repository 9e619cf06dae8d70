import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');

/** What scripts/release-check reads of the project (besides the CI files each test adds). */
export const RELEASE_CHECK_READS = [
  'package.json',
  'src/version.ts',
  'dist/cli',
  'Dockerfile',
  'CHANGELOG.md',
  'README.md',
  'pipelines',
  'templates',
];

/** A new temp folder (name starting with `prefix`) holding a copy of these paths of the project. */
export function copyOfProject(paths: string[], prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const p of paths) cpSync(join(root, p), join(dir, p), { recursive: true });
  return dir;
}
