// The esbuild options and build of every bundle in dist/ (scripts/build.mjs), shared with the tests that
// run code from a bundle built the same way (src/smoke/threads.test.ts) or check the layout (test/bundle-layout.test.ts).

import { build } from 'esbuild';

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

// @actions/core imports its OIDC client (getIDToken) at load time, and through it @actions/http-client and
// undici: ~450 KB and ~75 ms of start-up for a function no step calls. The bundles get a stand-in that
// says so instead. If @actions/core stops importing it this way, the build fails here rather than
// silently bundling the client again.
const noOidc = {
  name: 'no-actions-core-oidc',
  setup(b) {
    let seen = false;
    b.onResolve({ filter: /^\.\/oidc-utils\.js$/ }, (args) => {
      if (!/@actions[\\/]core[\\/]lib[\\/]core\.js$/.test(args.importer)) return undefined;
      seen = true;
      return { path: 'oidc-utils', namespace: 'shipkit-no-oidc' };
    });
    b.onLoad({ filter: /.*/, namespace: 'shipkit-no-oidc' }, () => ({
      contents:
        'export class OidcClient { static getIDToken() { throw new Error("getIDToken: shipkit bundles leave out the OIDC client of @actions/core"); } }',
      loader: 'js',
    }));
    b.onEnd((result) => {
      if (!result.errors.length && !seen)
        throw new Error(
          '@actions/core no longer imports ./oidc-utils.js: update no-actions-core-oidc in scripts/bundle-options.mjs',
        );
    });
  },
};

/**
 * Builds every bundle (each step's action, dist/all and the CLI) from `root` into `outdir`
 * (scripts/build.mjs: dist/; the layout test: a temp dir).
 */
export async function buildBundles(root, outdir, steps) {
  const entries = [
    ...steps.map((s) => ({ in: `src/entries/${s}.ts`, out: `${s}/index` })),
    { in: 'src/entries/all.ts', out: 'all/index' },
    { in: 'src/entries/cli.ts', out: 'cli/index' },
  ];

  // One esbuild call for all entries, split at shared code and dynamic imports: dist/<entry>/index.js
  // holds what only that entry uses; code used by several entries is written once, as chunk files in
  // dist/cli/ (the CLI reaches every step, so every shared chunk is one the CLI needs: dist/cli/ stays
  // self-contained for the npm package and the runtime image, and the actions import ../cli/chunk-*.js).
  // Every action and the CLI load a step through the same dynamic import (src/steps.ts), so a run loads the
  // few start-up chunks and its step's chunks, not the others. Sourcemaps (.js.map, mappings only: no copy
  // of the sources) lie beside each file; a stack trace shown in debug is mapped through them
  // (src/core/source-maps.ts: read only then, so start-up pays nothing for them).
  await build({
    ...bundleOptions(),
    absWorkingDir: root,
    entryPoints: entries,
    outdir,
    splitting: true,
    chunkNames: 'cli/[name]-[hash]',
    sourcemap: 'linked',
    sourcesContent: false,
    plugins: [noOidc],
    // The CLI's `#!/usr/bin/env node` is the first line of src/entries/cli.ts (esbuild keeps it).
  });
}
