// The esbuild options and build of every bundle in dist/ (scripts/build.mjs), shared with the tests that
// run code from a bundle built the same way (src/smoke/threads.test.ts) or check the layout (test/bundle-layout.test.ts).

import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

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
// silently bundling the client again. (No bundle imports @actions/core today: dist/all reports through
// the GitHub platform like every step.)
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
      const bundled = Object.keys(result.metafile?.inputs ?? {}).some((f) =>
        /@actions[\\/]core[\\/]lib[\\/]core\.js$/.test(f),
      );
      if (!result.errors.length && bundled && !seen)
        throw new Error(
          '@actions/core no longer imports ./oidc-utils.js: update no-actions-core-oidc in scripts/bundle-options.mjs',
        );
    });
  },
};

// yaml ships CommonJS for Node (`dist/`, its "node" export) and the same code as ES modules for other
// platforms (`browser/`). Bundled, the CommonJS build runs ~80 module wrappers at load: importing it cost
// ~12 ms of CPU here against ~4.5 ms for the ES build (a one-file bundle of each, above an empty module),
// paid by every run of a step that reads or writes YAML (lint, stack, smoke, blue-green, notify). The ES
// build differs only where it cannot use Node: a warning goes to console.warn instead of
// process.emitWarning, the LOG_STREAM/LOG_TOKENS debug switches are gone, and the YAML 1.1 !!binary tag
// (a schema no step asks for) decodes with atob instead of Buffer.
//
// And the YAML layer is one chunk: every import of `yaml` from our code goes through a module that also
// imports src/compose (the compose model, which needs YAML). esbuild writes a chunk per set of entry points
// that reach a file; the compose model and the parser were reached by different sets (notify and smoke
// parse YAML without compose), so lint and stack loaded them as two files. Now every entry that reaches one
// reaches the other; the steps that parse YAML without compose load ~7 KB more in the same file.
const YAML_LAYER = ['src/compose/model.ts', 'src/compose/source.ts'];
function yamlLayer(root) {
  const LAYER = 'shipkit-yaml';
  const inSrc = (path) => !relative(join(root, 'src'), path).startsWith('..');
  return {
    name: 'yaml-layer',
    setup(b) {
      b.onResolve({ filter: /^yaml$/ }, async (args) => {
        if (args.pluginData?.yamlEsm) return undefined;
        if (args.namespace === 'file' && inSrc(args.importer)) return { path: LAYER, namespace: LAYER };
        const r = await b.resolve('yaml', {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: { yamlEsm: true },
        });
        return r.errors.length ? r : { path: join(dirname(r.path), '..', 'browser', 'index.js') };
      });
      b.onLoad({ filter: /.*/, namespace: LAYER }, () => ({
        contents: [
          "export * from 'yaml';",
          ...YAML_LAYER.map((f) => `import ${JSON.stringify(join(root, f))};`),
        ].join('\n'),
        resolveDir: root,
        loader: 'js',
      }));
    },
  };
}

// The runtime: the layers under the steps (core, io, platform, docker) and the step table, loaded by every
// run. esbuild writes one chunk per *set of entry points* that reach a file, dynamic imports counting as
// entry points; the eight steps each reach a different part of these small modules, so they came out as a
// dozen chunks of 0.5–3 KB, and an action loaded 14–21 files (about a millisecond each) where the older
// per-entry bundles loaded 3. Here every entry point, static or a dynamic import of our own code, first
// imports one module that imports the whole runtime: every runtime file is then reached by every entry
// point, so all of them fall into one chunk. Left out: what is loaded on demand because it is heavy
// (action-defaults pulls in the YAML parser; test/bundle-startup.test.ts fails when the start-up loads
// YAML, octokit or undici) and the in-memory platform of the tests; the steps' own code and libraries,
// and capabilities that need YAML (src/compose), are chunks of their own.
const RUNTIME_LAYERS = ['src/core', 'src/io', 'src/platform', 'src/docker'];
const RUNTIME_FILES = ['src/steps.ts'];
const NOT_RUNTIME = ['src/core/action-defaults.ts', 'src/platform/memory.ts'];

/** The runtime's source files (see above), relative to root. */
export function runtimeFiles(root) {
  const sources = (dir) =>
    readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
      .map((e) => relative(root, join(e.parentPath, e.name)));
  return [...RUNTIME_LAYERS.flatMap(sources), ...RUNTIME_FILES].filter((f) => !NOT_RUNTIME.includes(f));
}

function oneRuntimeChunk(root) {
  const RUNTIME = 'shipkit-runtime';
  const inSrc = (path) => !relative(join(root, 'src'), path).startsWith('..');
  return {
    name: 'one-runtime-chunk',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.path === RUNTIME) return { path: RUNTIME, namespace: RUNTIME };
        const entry = args.kind === 'entry-point';
        if (args.pluginData?.unwrapped || (!entry && args.kind !== 'dynamic-import')) return undefined;
        if (!entry && !inSrc(args.importer)) return undefined;
        const real = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { unwrapped: true },
        });
        if (real.errors.length || real.external) return real;
        // Relative, so the sourcemaps name no path of the machine that built them.
        return { path: relative(root, real.path), namespace: 'shipkit-entry' };
      });
      b.onLoad({ filter: /.*/, namespace: RUNTIME }, () => ({
        contents: runtimeFiles(root)
          .map((f) => `import ${JSON.stringify(join(root, f))};`)
          .join('\n'),
        resolveDir: root,
        loader: 'js',
      }));
      // The entry point as esbuild sees it: the runtime first, then the real module's exports (named
      // only: no dynamic import of ours reads a default export). The CLI's shebang stays the first line.
      b.onLoad({ filter: /.*/, namespace: 'shipkit-entry' }, (args) => {
        const path = join(root, args.path);
        const shebang = /^#!.*\n/.exec(readFileSync(path, 'utf8'))?.[0] ?? '';
        return {
          contents: `${shebang}import ${JSON.stringify(RUNTIME)};\nexport * from ${JSON.stringify(path)};\n`,
          resolveDir: root,
          loader: 'js',
        };
      });
    },
  };
}

/**
 * Builds every bundle (each step's action, dist/all and the CLI) from `root` into `outdir`
 * (scripts/build.mjs: dist/; the layout test: a temp dir). Resolves to esbuild's result, with its metafile.
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
  // The runtime is one chunk (oneRuntimeChunk above). An action imports its own step statically (its step's
  // code is then one chunk, with the runtime and the libraries it uses: 4-6 files at start-up); the CLI and
  // dist/all load a step through a dynamic import (src/steps.ts), so a run loads its step only. Sourcemaps (.js.map, mappings only: no copy
  // of the sources) lie beside each file; a stack trace shown in debug is mapped through them
  // (src/core/source-maps.ts: read only then, so start-up pays nothing for them).
  return build({
    ...bundleOptions(),
    absWorkingDir: root,
    entryPoints: entries,
    outdir,
    splitting: true,
    chunkNames: 'cli/[name]-[hash]',
    sourcemap: 'linked',
    sourcesContent: false,
    plugins: [noOidc, yamlLayer(root), oneRuntimeChunk(root)],
    metafile: true,
    // The CLI's `#!/usr/bin/env node` is the first line of src/entries/cli.ts (esbuild keeps it).
  });
}
