// The esbuild options of every bundle in dist/ (scripts/build.mjs), shared with the test that runs
// code from a bundle built the same way (src/smoke/threads.test.ts: load threads run source text).

// ESM bundles: @actions/core's http client and other CJS dependencies call require().
const banner = [
  "import { createRequire as __shipkitCreateRequire } from 'node:module';",
  'const require = __shipkitCreateRequire(import.meta.url);',
].join('\n');

/** Options for one entry (the CLI's shebang is the first line of its entry; esbuild keeps it). */
export function bundleOptions() {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: banner },
  };
}
