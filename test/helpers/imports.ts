import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface ImportEdge {
  from: string;
  to: string;
  /** `import type` / `export type`: no code runs for it. */
  typeOnly: boolean;
  /** `import('…')`: loaded when called, not when the module loads. */
  dynamic: boolean;
  line: number;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.ts$/.test(e.name) && !/\.(test|itg\.test)\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')
      ? [p]
      : [];
  });
}

// `import … from '…'`, `export … from '…'`, bare `import '…'` (possibly over several lines), `import('…')`.
const STATIC = /^\s*(import|export)\s+(type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/**
 * The relative imports between the production TypeScript files below `root` (tests left out), as
 * paths relative to `root` with `.ts` (the sources import `./x.js`).
 */
export function importGraph(root: string): { files: string[]; edges: ImportEdge[] } {
  const files = sources(root).map((f) => relative(root, f));
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const lineOf = (index: number) => text.slice(0, index).split('\n').length;
    const add = (spec: string, typeOnly: boolean, dynamic: boolean, index: number) => {
      if (!spec.startsWith('.')) return;
      const to = relative(root, resolve(root, dirname(file), spec)).replace(/\.js$/, '.ts');
      edges.push({ from: file, to, typeOnly, dynamic, line: lineOf(index) });
    };
    for (const m of text.matchAll(STATIC)) {
      // `import { type A, type B } from` is type-only too.
      const clause = m[0];
      const allTypes =
        /\{\s*type\s[^}]*\}/.test(clause) && !/[{,]\s*(?!type\s)\w/.test(clause.replace(/^[^{]*/, ''));
      add(m[3], Boolean(m[2]) || allTypes, false, m.index);
    }
    for (const m of text.matchAll(DYNAMIC)) add(m[1], false, true, m.index);
  }
  return { files, edges };
}

/** Every import cycle among `edges` (each once, as the list of files around it, smallest first). */
export function cycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (state.get(to) === 'open') {
        const cycle = stack.slice(stack.indexOf(to));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const canonical = [...cycle.slice(start), ...cycle.slice(0, start)];
        found.set(canonical.join(' → '), canonical);
      } else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...next.keys()].sort()) if (!state.has(node)) visit(node);
  return [...found.values()];
}
