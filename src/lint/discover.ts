import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { parse } from 'yaml';

const DOCKERFILE = /^(Dockerfile(\..+)?|.+\.Dockerfile)$/;
const COMPOSE = /^(docker-)?compose(\.[\w.-]+)?\.ya?ml$/;
const SKIP = new Set(['node_modules', '.git']);

/**
 * Every `Dockerfile`, `Dockerfile.*` and `*.Dockerfile` under `root` (respecting `.gitignore` files,
 * skipping node_modules and .git), plus the Dockerfiles named by compose files' `build:` sections.
 * Paths are relative to `cwd` and sorted.
 */
export function discover(root: string, cwd = process.cwd()): string[] {
  const found = new Set<string>();
  walk(resolve(cwd, root), [], (path, name) => {
    if (DOCKERFILE.test(name)) found.add(path);
    if (COMPOSE.test(name)) composeDockerfiles(path).forEach((p) => found.add(p));
  });
  return [...found].map((p) => relative(cwd, p) || p).sort();
}

/** A folder's entries, or none when it cannot be read (gone meanwhile, no permission): the walk skips it. */
function listDir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function walk(
  dir: string,
  rules: { base: string; ig: Ignore }[],
  visit: (path: string, name: string) => void,
): void {
  let own = rules;
  const gi = join(dir, '.gitignore');
  if (existsSync(gi)) own = [...rules, { base: dir, ig: ignore().add(readFileSync(gi, 'utf8')) }];
  for (const e of listDir(dir)) {
    if (SKIP.has(e.name)) continue;
    const path = join(dir, e.name);
    const isDir = e.isDirectory();
    const ignored = own.some(({ base, ig }) => {
      const rel = relative(base, path).split(sep).join('/');
      return ig.ignores(isDir ? rel + '/' : rel);
    });
    if (ignored) continue;
    if (isDir) walk(path, own, visit);
    // Symlinked files count; symlinked directories are not followed (no loops).
    else if (e.isFile() || (e.isSymbolicLink() && isFile(path))) visit(path, e.name);
  }
}

/** Dockerfiles named by a compose file: `build: ctx` or `build: {context, dockerfile}`. */
export function composeDockerfiles(file: string): string[] {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch {
    return []; // not our file to validate: the stack step reports compose errors
  }
  const services = (doc as { services?: Record<string, { build?: unknown }> } | null)?.services;
  if (!services || typeof services !== 'object') return [];
  const base = resolve(file, '..');
  const out: string[] = [];
  for (const svc of Object.values(services)) {
    const build = svc?.build;
    let context: string | undefined;
    let dockerfile = 'Dockerfile';
    if (typeof build === 'string') context = build;
    else if (build && typeof build === 'object') {
      const b = build as { context?: unknown; dockerfile?: unknown; dockerfile_inline?: unknown };
      if (b.dockerfile_inline !== undefined) continue;
      context = typeof b.context === 'string' ? b.context : '.';
      if (typeof b.dockerfile === 'string') dockerfile = b.dockerfile;
    }
    if (context === undefined || /^[a-z]+:\/\//.test(context) || context.includes('.git#')) continue;
    const path = resolve(base, context, dockerfile);
    if (isFile(path)) out.push(path);
  }
  return out;
}

/** What a path is after following links: `file`, `dir`, `other`, or undefined when missing or unreadable. */
export function pathKind(path: string): 'file' | 'dir' | 'other' | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch {
    return undefined;
  }
}

function isFile(path: string): boolean {
  return pathKind(path) === 'file';
}

/** A shell glob (`*`, `?`, `[…]`, `[!…]`) as a regular expression over one path, `/` never matched by a wildcard. */
function globSource(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[' && pattern.indexOf(']', i + 2) > 0) {
      const end = pattern.indexOf(']', i + 2);
      const body = pattern
        .slice(i + 1, end)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\');
      out += `[${body}]`;
      i = end;
    } else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

/**
 * What bash's globstar makes of `**\/<pattern>` (hadolint-action's `recursive`): files whose path
 * ends in `pattern`, at any depth under `cwd`. As in bash, names starting with `.` are skipped
 * unless the pattern spells the dot, and symlinked folders are not followed. Sorted, relative.
 */
export function globRecursive(pattern: string, cwd = process.cwd()): string[] {
  const p = pattern.replace(/^(\.\/)+/, '');
  const re = new RegExp(`^(?:[^/]+/)*${globSource(p)}$`);
  const found: string[] = [];
  const visit = (dir: string, rel: string): void => {
    for (const e of listDir(dir)) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!e.name.startsWith('.')) visit(join(dir, e.name), path);
      } else if ((e.isFile() || (e.isSymbolicLink() && isFile(join(dir, e.name)))) && re.test(path)) {
        if (!hiddenMismatch(path, p)) found.push(path);
      }
    }
  };
  visit(resolve(cwd), '');
  return found.sort();
}

/** bash never lets a wildcard match a leading `.`: a hidden file matches only a pattern that starts with `.`. */
function hiddenMismatch(path: string, pattern: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const last = pattern.slice(pattern.lastIndexOf('/') + 1);
  return name.startsWith('.') && !last.startsWith('.');
}
