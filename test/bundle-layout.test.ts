import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { buildBundles, runtimeFiles } from '../scripts/bundle-options.mjs';

const ROOT = join(import.meta.dirname, '..');
const steps = readdirSync(join(ROOT, 'actions')).filter((d) =>
  existsSync(join(ROOT, 'actions', d, 'action.yml')),
);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** The relative imports of a bundle file, static and dynamic (esbuild's minified spelling). */
const importsOf = (text: string) =>
  [...text.matchAll(/(?:from|import)\s*\(?"(\.\.?\/[^"]+\.js)"/g)].map((m) => m[1]);

// Built from source into a temp dir the way `npm run build` builds dist/, so this checks the layout
// the build makes now, whatever dist/ holds.
describe('the bundles as scripts/build.mjs lays them out', () => {
  const out = mkdtempSync(join(tmpdir(), 'shipkit-dist-'));
  let all: string[] = [];
  let outputs: Record<string, { inputs: Record<string, unknown> }> = {};
  beforeAll(async () => {
    ({ outputs } = (await buildBundles(ROOT, out, steps)).metafile);
    all = files(out);
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes no code twice: code shared by several bundles is one file', () => {
    const byHash = new Map<string, string[]>();
    // JavaScript only: the maps of chunks that hold no code of their own are alike and empty.
    for (const f of all.filter((p) => p.endsWith('.js'))) {
      const hash = createHash('sha256').update(readFileSync(f)).digest('hex');
      byHash.set(hash, [...(byHash.get(hash) ?? []), relative(out, f)]);
    }
    expect([...byHash.values()].filter((list) => list.length > 1)).toEqual([]);
  });

  it('has an index.js per action, dist/all and the CLI, each import resolving to a file that exists', () => {
    for (const entry of [...steps, 'all', 'cli']) expect(all).toContain(join(out, entry, 'index.js'));
    for (const f of all.filter((p) => p.endsWith('.js')))
      for (const spec of importsOf(readFileSync(f, 'utf8')))
        expect(all, `${relative(out, f)} imports ${spec}`).toContain(join(dirname(f), spec));
  });

  it('puts the runtime (core, io, platform, docker, the step table) in one chunk, which every entry imports', () => {
    const runtime = runtimeFiles(ROOT);
    expect(runtime).toContain('src/core/run.ts');
    const holders = new Set(
      Object.entries(outputs)
        .filter(([, o]) => runtime.some((f) => f in o.inputs))
        .map(([file]) => relative(ROOT, file)),
    );
    expect([...holders]).toHaveLength(1);
    const [chunk] = [...holders];
    for (const entry of [...steps, 'all', 'cli'])
      expect(
        importsOf(readFileSync(join(out, entry, 'index.js'), 'utf8')).map((s) => join(out, entry, s)),
      ).toContain(join(ROOT, chunk));
  });

  it('an action loads at start-up its step, the runtime and libraries: a few files, not one per shared module', () => {
    // Static imports only: what node loads before the action's code runs (14–21 files before the runtime
    // was one chunk; each costs about a millisecond).
    for (const s of steps) {
      const seen = new Set<string>();
      const visit = (f: string) => {
        if (seen.has(f)) return;
        seen.add(f);
        for (const m of readFileSync(f, 'utf8').matchAll(/(?:from|import)\s*"(\.\.?\/[^"]+\.js)"/g))
          visit(join(dirname(f), m[1]));
      };
      visit(join(out, s, 'index.js'));
      expect(seen.size, `${s}: ${[...seen].map((f) => relative(out, f)).join(', ')}`).toBeLessThanOrEqual(5);
    }
  });

  it('writes no chunk without code of its own (a module of re-exports only still made a file to load)', () => {
    const empty = all
      .filter((f) => /[\\/]chunk-[^/\\]+\.js$/.test(f))
      .filter((f) => {
        const code = readFileSync(f, 'utf8')
          .split('\n')
          .slice(2) // the banner: createRequire for the CommonJS dependencies
          .join('\n')
          .replace(/\/\/# sourceMappingURL=.*/, '')
          .replace(/import\s*(?:\{[^}]*\}\s*from\s*)?"[^"]+";?/g, '');
        return code.trim() === '';
      });
    expect(empty.map((f) => relative(out, f))).toEqual([]);
  });

  // node:https ~7 ms, node:tls ~6.5, node:http ~4.5, node:crypto ~3.5, node:child_process ~3, node:net and
  // node:worker_threads ~2 of CPU: loaded on first use (src/core/builtins.ts). A static import in the
  // runtime or in a step's code costs every run that much, also one that stops at a bad input.
  it('imports no slow Node built-in at start-up (what an action, dist/all or the CLI loads before its code runs)', () => {
    const slow = /(?:from|import)\s*"(?:node:)?(?:http|https|child_process|crypto|net|tls|worker_threads)"/;
    for (const entry of [...steps, 'all', 'cli']) {
      const seen = new Set<string>();
      const visit = (f: string) => {
        if (seen.has(f)) return;
        seen.add(f);
        for (const m of readFileSync(f, 'utf8').matchAll(/(?:from|import)\s*"(\.\.?\/[^"]+\.js)"/g))
          visit(join(dirname(f), m[1]));
      };
      visit(join(out, entry, 'index.js'));
      const hits = [...seen].filter((f) => slow.test(readFileSync(f, 'utf8'))).map((f) => relative(out, f));
      expect(hits, entry).toEqual([]);
    }
  });

  it('keeps dist/cli self-contained (the npm package and the runtime image ship only that folder)', () => {
    for (const f of all.filter((p) => p.startsWith(join(out, 'cli')) && p.endsWith('.js')))
      for (const spec of importsOf(readFileSync(f, 'utf8')))
        expect(
          relative(join(out, 'cli'), join(dirname(f), spec)),
          `${relative(out, f)} imports ${spec}`,
        ).not.toMatch(/^\.\./);
  });

  it('puts a sourcemap beside every JavaScript file, without copies of the sources', () => {
    for (const f of all.filter((p) => p.endsWith('.js'))) {
      expect(readFileSync(f, 'utf8')).toContain(`//# sourceMappingURL=${f.split('/').pop()}.map`);
      const map = JSON.parse(readFileSync(`${f}.map`, 'utf8')) as { sourcesContent?: unknown };
      expect(map.sourcesContent).toBeUndefined();
    }
  });

  it("leaves @actions/core's OIDC client and its HTTP stack (undici) out altogether", () => {
    const hits = all.filter((f) =>
      /undici|oidc-utils|OidcClient\.getIDToken\(/.test(readFileSync(f, 'utf8')),
    );
    // The stand-in that throws is allowed; the client is not.
    expect(hits.map((f) => relative(out, f)).filter((f) => !f.endsWith('.map'))).toEqual(
      hits
        .filter((f) => readFileSync(f, 'utf8').includes('leave out the OIDC client'))
        .map((f) => relative(out, f)),
    );
    expect(all.some((f) => /undici/.test(readFileSync(f, 'utf8')))).toBe(false);
  });
});
