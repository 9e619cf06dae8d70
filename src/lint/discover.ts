import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

function walk(
  dir: string,
  rules: { base: string; ig: Ignore }[],
  visit: (path: string, name: string) => void,
): void {
  let own = rules;
  const gi = join(dir, '.gitignore');
  if (existsSync(gi)) own = [...rules, { base: dir, ig: ignore().add(readFileSync(gi, 'utf8')) }];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
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
    if (existsSync(path) && statSync(path).isFile()) out.push(path);
  }
  return out;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
