import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/**
 * The files of a bundle reached from its entry: through static imports only (what node loads before
 * any code runs), or through dynamic `import()` too (everything the bundle can load).
 */
function reached(entry: string, dynamic: boolean): string[] {
  const seen = new Set<string>();
  // esbuild's minified imports: `from"./x.js"` and bare `import"./x.js"`; `import("./x.js")` is lazy.
  // Chunks shared by several bundles lie in dist/cli/: an action imports them as `../cli/x.js`.
  const pattern = dynamic
    ? /(?:from|import)\s*\(?"(\.\.?\/[^"]+\.js)"/g
    : /(?:from|import)\s*"(\.\.?\/[^"]+\.js)"/g;
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(pattern)) visit(join(dirname(file), m[1]));
  };
  visit(join(ROOT, entry));
  return [...seen];
}

const contains = (files: string[], marker: RegExp) =>
  files.filter((f) => marker.test(readFileSync(f, 'utf8'))).map((f) => f.slice(ROOT.length + 1));

// undici: @actions/core's HTTP client (for OIDC tokens); octokit: meta's GitHub API client; yaml: compose files.
const HEAVY = { undici: /undici/, octokit: /octokit/i, yaml: /yaml\.alias/ };

describe.skipIf(!existsSync(join(ROOT, 'dist/build-push/index.js')) && 'dist/ is not built (npm run build)')(
  'what a bundle loads at start-up',
  () => {
    const rows = [
      { name: 'the build-push action', entry: 'dist/build-push/index.js' },
      { name: 'the CLI', entry: 'dist/cli/index.js' },
      { name: 'the all-in-one action', entry: 'dist/all/index.js' },
    ];
    it.each(rows)('$name: no HTTP client, no octokit, no YAML parser before the step asks', ({ entry }) => {
      const startup = reached(entry, false);
      expect(startup.length).toBeGreaterThan(1);
      for (const marker of Object.values(HEAVY)) expect(contains(startup, marker)).toEqual([]);
      // node:http itself (~4 ms of CPU to load) too: src/core/builtins.ts loads it when first used.
      expect(contains(startup, /(?:from|import)\s*"node:http"/)).toEqual([]);
    });

    it('the build-push action loads octokit and the YAML parser on demand; undici (OIDC only) never', () => {
      const all = reached('dist/build-push/index.js', true);
      expect(contains(all, HEAVY.octokit).length).toBeGreaterThan(0);
      expect(contains(all, HEAVY.yaml).length).toBeGreaterThan(0);
      expect(contains(all, HEAVY.undici)).toEqual([]);
    });
  },
);
