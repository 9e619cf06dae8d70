#!/usr/bin/env node
// Builds one esbuild bundle per entry into dist/ (committed: GitHub runs actions without npm install),
// split at dynamic imports: dist/<entry>/index.js plus chunk-*.js files beside it, so a run loads only
// the code it uses (the CLI and the all-in-one action load one step, not all of them). Then regenerates the root action.yml (the all-in-one action) from the per-step action.yml files.
// CI runs this and fails when dist/ or action.yml differ from what is committed.
import { build } from 'esbuild';
import { readdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { bundleOptions } from './bundle-options.mjs';

const root = new URL('..', import.meta.url).pathname;
const steps = readdirSync(join(root, 'actions')).filter((d) =>
  existsSync(join(root, 'actions', d, 'action.yml')),
);

// @actions/core imports its OIDC client at load time, and through it @actions/http-client and undici:
// ~75 ms of start-up for every step on GitHub, for getIDToken, which no step calls. Load it when called.
// If @actions/core changes these lines, the build fails here rather than silently losing the change.
const lazyOidc = {
  name: 'lazy-actions-core-oidc',
  setup(b) {
    b.onLoad({ filter: /@actions[\\/]core[\\/]lib[\\/]core\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const load = "import { OidcClient } from './oidc-utils.js';";
      const use = 'return yield OidcClient.getIDToken(aud);';
      if (!text.includes(load) || !text.includes(use))
        throw new Error(
          `${args.path} changed: update the lazy-actions-core-oidc plugin in scripts/build.mjs`,
        );
      const contents = text
        .replace(load, '')
        .replace(use, "return yield (yield import('./oidc-utils.js')).OidcClient.getIDToken(aud);");
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

const entries = [
  ...steps.map((s) => ({ in: `src/entries/${s}.ts`, out: `dist/${s}` })),
  { in: 'src/entries/all.ts', out: 'dist/all' },
  { in: 'src/entries/cli.ts', out: 'dist/cli' },
];

rmSync(join(root, 'dist'), { recursive: true, force: true });
await Promise.all(
  entries.map((e) =>
    build({
      ...bundleOptions(),
      absWorkingDir: root,
      entryPoints: [{ in: e.in, out: 'index' }],
      outdir: e.out,
      splitting: true,
      plugins: [lazyOidc],
      // The CLI's `#!/usr/bin/env node` is the first line of src/entries/cli.ts (esbuild keeps it).
    }),
  ),
);

// The all-in-one action: `step` picks a step; every step's inputs and outputs, merged. An input keeps
// its default when every step that declares it agrees on it; where steps differ (`command`, `timeout`,
// …) the root leaves it empty and dist/all fills in the chosen step's own default at run time
// (src/core/step-defaults.ts), so `step: X` behaves as `actions/X` does.
const WORKFLOW_TOKEN = '${{ github.token }}';
const declared = {}; // input name → [{ step, spec }]
const outputs = {};
for (const s of steps) {
  const action = parse(readFileSync(join(root, 'actions', s, 'action.yml'), 'utf8'));
  for (const [name, spec] of Object.entries(action.inputs ?? {}))
    (declared[name] ??= []).push({ step: s, spec });
  for (const [name, spec] of Object.entries(action.outputs ?? {})) {
    outputs[name] ??= { description: `(${s}) ${spec.description ?? ''}`.trim() };
  }
}
const inputs = {
  step: { description: `The step to run: ${steps.join(', ')}.`, required: true },
};
let tokenDefaultUsed = false;
for (const [name, list] of Object.entries(declared)) {
  const defaults = new Set(
    list.map(({ spec }) => (spec.default === undefined ? undefined : String(spec.default))),
  );
  const who = list.map(({ step }) => step).join(', ');
  const input = { description: `(${who}) ${list[0].spec.description ?? ''}`.trim() };
  if (defaults.size === 1) {
    const [only] = defaults;
    if (only !== undefined) input.default = only;
  } else {
    // A `${{ … }}` in a description is an expression to GitHub's parser: name the token in words.
    const shown = (d) =>
      d === undefined ? 'none' : d === WORKFLOW_TOKEN ? 'the workflow token' : `\`${d}\``;
    const per = list.map(({ step, spec }) => `${step}: ${shown(spec.default)}`);
    input.description += ` Default per step: ${per.join('; ')}.`;
    tokenDefaultUsed ||= list.some(({ spec }) => spec.default === WORKFLOW_TOKEN);
  }
  inputs[name] = input;
}
if (tokenDefaultUsed) {
  inputs['workflow-token'] = {
    description:
      "The workflow's token, used where the chosen step's own default for an input is the workflow token (build-push and meta: github-token). Leave it as it is.",
    default: WORKFLOW_TOKEN,
  };
}
const rootAction = {
  name: 'shipkit',
  // The Marketplace shows at most 125 characters of the description.
  description:
    'Lint Dockerfiles, build & push, smoke-test Compose stacks, deploy blue-green behind nginx or HAProxy. Set `step`.',
  author: 'shipkit',
  branding: { icon: 'package', color: 'blue' },
  inputs,
  outputs,
  runs: { using: 'node24', main: 'dist/all/index.js', post: 'dist/all/index.js' },
};
writeFileSync(
  join(root, 'action.yml'),
  '# Generated by scripts/build.mjs from actions/*/action.yml — edit those, then run `npm run build`.\n' +
    stringify(rootAction, { lineWidth: 0 }),
);
console.log(`built ${entries.length} bundles; action.yml lists ${Object.keys(inputs).length} inputs`);

// Each step's README usage and inputs/outputs tables are generated from its action.yml too, and each
// GitLab component's README from its spec.
const { expectedPages, expectedComponentPages } = await import('./gen-docs.mjs');
for (const page of [...expectedPages(), ...expectedComponentPages()])
  if (page.existing !== page.content) writeFileSync(page.path, page.content);
