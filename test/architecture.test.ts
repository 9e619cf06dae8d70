import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cycles, importGraph, type ImportEdge } from './helpers/imports.js';

// The layers of ARCHITECTURE.md, checked on the import lines of every production file in src/.
const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
const STEPS = readdirSync(join(ROOT, 'actions')).filter((d) =>
  existsSync(join(ROOT, 'actions', d, 'action.yml')),
);
/** What one step may use of another: its contract, nothing else. */
const PUBLIC = new Set(['index.ts', 'api.ts']);
/** Capabilities and seams below the steps. */
const LOWER = ['core', 'platform', 'docker', 'io'];

const graph = importGraph(SRC);
const top = (file: string) => file.split('/')[0];
const show = (e: ImportEdge) => `src/${e.from}:${e.line} imports src/${e.to}`;

describe('imports across src/ (ARCHITECTURE.md)', () => {
  it('reads the import lines (sanity: the parser sees the known edges, static, type-only and dynamic)', () => {
    const has = (from: string, to: string, kind: Partial<ImportEdge> = {}) =>
      graph.edges.some(
        (e) =>
          e.from === from &&
          e.to === to &&
          Object.entries(kind).every(([k, v]) => e[k as keyof ImportEdge] === v),
      );
    expect(has('entries/cli.ts', 'cli/main.ts', { dynamic: false })).toBe(true);
    expect(has('steps.ts', 'lint/step.ts', { dynamic: true })).toBe(true);
    expect(has('core/run.ts', 'platform/types.ts', { typeOnly: true })).toBe(true);
    expect(graph.files.length).toBeGreaterThan(100);
  });

  it('has no import circle, counting type-only and dynamic imports', () => {
    expect(cycles(graph.edges).map((c) => c.join(' → '))).toEqual([]);
  });

  it('finds a circle when there is one (the checker itself)', () => {
    const edge = (from: string, to: string): ImportEdge => ({
      from,
      to,
      typeOnly: true,
      dynamic: false,
      line: 1,
    });
    expect(
      cycles([edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts'), edge('c.ts', 'a.ts'), edge('c.ts', 'd.ts')]),
    ).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(cycles([edge('a.ts', 'b.ts'), edge('a.ts', 'c.ts'), edge('c.ts', 'b.ts')])).toEqual([]);
  });

  it("no step imports another step's internals (only its index.ts or api.ts)", () => {
    const bad = graph.edges.filter((e) => {
      const [from, to] = [top(e.from), top(e.to)];
      return (
        STEPS.includes(from) && STEPS.includes(to) && from !== to && !PUBLIC.has(e.to.slice(to.length + 1))
      );
    });
    expect(bad.map(show)).toEqual([]);
  });

  it('capabilities and seams (core, platform, docker, io) import no step, CLI or entry', () => {
    const bad = graph.edges.filter((e) => LOWER.includes(top(e.from)) && !LOWER.includes(top(e.to)));
    expect(bad.map(show)).toEqual([]);
  });

  it('a step takes the environment only in its inputs layer (issue 13 item 4); only context.ts reads process.env', () => {
    const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    const bad: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(SRC, f), 'utf8');
      if (/process\.env\b/.test(text.replace(/^\s*(\/\/|\/?\*).*$/gm, '')) && f !== 'platform/context.ts')
        bad.push(`src/${f}: process.env`);
      if (STEPS.includes(top(f)) && !/(^|\/)inputs\.ts$/.test(f) && /\bprocessEnv\(/.test(text))
        bad.push(`src/${f}: processEnv() outside the inputs layer`);
    }
    expect(bad).toEqual([]);
  });
});
