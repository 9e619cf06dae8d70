import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { buildBundles } from '../scripts/bundle-options.mjs';

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
  beforeAll(async () => {
    await buildBundles(ROOT, out, steps);
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
