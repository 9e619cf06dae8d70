// Benches that drive shipkit's code in their own process bundle it from src/ (or test/) with esbuild,
// so they measure the working tree without a dist/ build: one way to do that for every bench.
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';

const root = new URL('../..', import.meta.url).pathname;

/**
 * Bundles `contents` (TypeScript whose imports are relative to the repository root) into `outfile`
 * and imports it. `extra` adds esbuild options (externals, defines).
 */
export async function importFromSource(contents, outfile, extra = {}) {
  await build({
    absWorkingDir: root,
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
    // As scripts/build.mjs: CJS dependencies call require() inside an ESM bundle.
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
    ...extra,
  });
  return import(pathToFileURL(outfile).href);
}
