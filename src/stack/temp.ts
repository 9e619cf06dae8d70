import { rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

const ROOT = 'shipkit-stack';

/** The folder of a project's generated files (override, Swarm stack file): `<os temp>/shipkit-stack/<project>`. */
export function stackTempDir(project: string): string {
  return join(tmpdir(), ROOT, project);
}

/**
 * Removes a project's generated-files folder, and `<os temp>/shipkit-stack` with it once no other
 * project's folder is in it, so a stack that is gone leaves nothing in the temp dir. Never throws.
 */
export async function removeStackTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  // rmdir only removes it empty: a stack running beside this one keeps it.
  if (basename(dirname(dir)) === ROOT) await rmdir(dirname(dir)).catch(() => undefined);
}

/**
 * Removes the generated-files folders on this host of the projects `gc` swept (what a killed `up` left).
 * Their names come from labels, which anyone can set: a name compose would refuse (lower-case letters,
 * digits, `-`, `_`) names no folder, so a label cannot point elsewhere.
 */
export async function removeGcTempDirs(projects: readonly string[]): Promise<void> {
  for (const project of new Set(projects))
    if (/^[a-z0-9][a-z0-9_-]*$/.test(project)) await removeStackTempDir(stackTempDir(project));
}
