import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Why a file was not read. */
export type Unread = 'missing' | 'outside' | 'too-big' | 'not-a-file';

export type ReadResult = { ok: true; text: string; path: string } | { ok: false; why: Unread; size?: number };

/** `path` is `root` or below it (both absolute). */
export function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Reads a project file, never outside `root`: the path and its real path (symlinks followed) must
 * both stay inside, and the file must be at most `maxBytes` (checked before reading).
 */
export function readInside(root: string, path: string, maxBytes: number): ReadResult {
  const abs = resolve(root, path);
  if (!inside(root, abs)) return { ok: false, why: 'outside' };
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    return { ok: false, why: 'missing' };
  }
  let realRoot = root;
  try {
    realRoot = realpathSync(root);
  } catch {
    // the root itself is read by the caller; keep it as given
  }
  if (!inside(realRoot, real)) return { ok: false, why: 'outside' };
  const st = statSync(real);
  if (!st.isFile()) return { ok: false, why: 'not-a-file' };
  if (st.size > maxBytes) return { ok: false, why: 'too-big', size: st.size };
  return { ok: true, text: readFileSync(real, 'utf8'), path: abs };
}

/** The kind of a path inside root: file, directory, or not there / outside. */
export function kindInside(root: string, path: string): 'file' | 'dir' | 'missing' | 'outside' {
  const abs = resolve(root, path);
  if (!inside(root, abs)) return 'outside';
  try {
    const real = realpathSync(abs);
    if (!inside(realpathSync(root), real)) return 'outside';
    return statSync(real).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

/** Files under a directory inside root (depth ≤ 4, at most `limit`), as paths relative to `dir`. */
export function listInside(root: string, dir: string, limit = 500): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 4 || out.length >= limit) return;
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= limit) return;
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.isFile()) out.push(relative(dir, p));
    }
  };
  if (kindInside(root, dir) === 'dir') walk(resolve(root, dir), 0);
  return out;
}
