/**
 * The pure half of build-push: turns resolved image targets into docker argument arrays. No I/O,
 * so every row of the plan is table-tested (plan.test.ts); run.ts executes it.
 */
import { UserError } from '../core/errors.js';
import {
  attestsProvenance,
  buildKitArgs,
  NO_BUILDKIT_INPUTS,
  unsupportedInput,
  type BuildKitInputs,
  type SecretFile,
} from './buildkit.js';
import type { BuilderChoice } from './inputs.js';
import { parseRef, repository } from '../docker/refs.js';

export type Builder = 'buildx' | 'buildkit' | 'classic';

/** One image to build: from the step's inputs, or from one compose service. */
export interface ImageTarget {
  /** Key in the `images` output: the compose service, or the `name` input / repository's last part. */
  name: string;
  context: string;
  file?: string;
  target?: string;
  buildArgs: [string, string][];
  platforms: string[];
  /** Full references, e.g. `127.0.0.1:5000/acme/web:1.2.3`. */
  tags: string[];
  labels: [string, string][];
  cacheFrom: string[];
  cacheTo: string[];
}

export interface PlanOptions {
  builder: Builder;
  push: boolean;
  noCache: boolean;
  /** Default cache: registry cache (buildx) or inline cache (docker build). */
  cache: boolean;
  provenance: boolean;
  /** Where docker writes the image id (and, with buildx, the build metadata). */
  iidfile: string;
  metadataFile: string;
  /** Classic builder: cache candidates present in the local engine (others would disable the cache). */
  localImages?: ReadonlySet<string>;
  /** secrets, ssh, sbom, attests, outputs, annotations, network, shm-size, ulimit, add-hosts. */
  buildkit?: BuildKitInputs;
  /** Where `docker build` (BuildKit without buildx) reads secret values from files. */
  secretDir?: string;
}

export interface BuildPlan {
  args: string[];
  env: Record<string, string>;
  /** True when the build itself pushes (buildx multi-platform): there is no local image to push. */
  pushedByBuild: boolean;
  /** Images to pull (if absent, failures ignored) so the classic builder can use them as cache. */
  warmCache: string[];
  /** Secret values to write (mode 0600) before the build; removed with the temp folder. */
  secretFiles: SecretFile[];
  /** `outputs` was given: the build exports the image itself (no local image to measure or push). */
  exported: boolean;
}

/**
 * Refuses, before anything is built, an input this builder cannot honour (exit 2 naming it), instead
 * of silently building without it. `why` says which builder was chosen and why.
 */
export function checkBuilderSupports(
  builder: Builder,
  why: string,
  b: BuildKitInputs,
  t: readonly ImageTarget[],
): void {
  const input = unsupportedInput(
    builder,
    b,
    t.flatMap((x) => x.cacheFrom),
    t.flatMap((x) => x.cacheTo),
  );
  if (!input) return;
  const needs =
    builder === 'buildkit' && ['shm-size', 'ulimit'].includes(input)
      ? 'docker buildx (or the classic builder)'
      : 'BuildKit through docker buildx';
  throw new UserError(
    `needs ${needs}, but this build uses the ${builder} builder (${why}); install the buildx plugin or remove the input`,
    {
      field: `input "${input}"`,
    },
  );
}

/** Classic builder: the images the plan would use as `--cache-from` if present locally. */
export function cacheCandidates(t: ImageTarget, o: Pick<PlanOptions, 'cache' | 'push'>): string[] {
  const explicit = t.cacheFrom.map(cacheRef).filter((r): r is string => r !== undefined);
  return explicit.length || !o.cache || !o.push || !t.tags[0] ? explicit : [t.tags[0]];
}

export interface DockerFacts {
  buildx: boolean;
  clientVersion: string;
  serverVersion: string;
  serverOs: string;
}

const major = (v: string) => Number.parseInt(v, 10) || 0;

export interface FactsToAsk {
  probeBuildx: boolean;
  versions: 'always' | 'withoutBuildx' | 'never';
}

/**
 * Which docker facts `chooseBuilder` reads for this builder input, so no process runs for one it does not:
 * `probeBuildx`, whether to ask if `docker buildx` works; `versions`, whether to run `docker version`
 * (`always`; `withoutBuildx`: only once the probe said no; `never`). `classic` needs nothing, `buildx` only
 * the probe. Where a plugin is on disk (`plugin`, see `buildxPlugins`) buildx almost always works, so
 * `auto` and `buildkit` ask the versions only when it does not; without one, `auto` needs the client's
 * version (before 23.0 it carries BuildKit itself) and `buildkit` asks both at once, as it always did.
 */
export function factsToAsk(choice: BuilderChoice, plugin: boolean): FactsToAsk {
  if (choice === 'classic') return { probeBuildx: false, versions: 'never' };
  if (choice === 'buildx') return { probeBuildx: true, versions: 'never' };
  if (plugin) return { probeBuildx: true, versions: 'withoutBuildx' };
  return { probeBuildx: choice === 'buildkit', versions: 'always' };
}

/**
 * Picks the builder. `auto`: buildx when installed; else BuildKit through `docker build` when the CLI
 * still carries it (before 23.0 — newer CLIs hand BuildKit to the buildx plugin and refuse
 * `DOCKER_BUILDKIT=1` without it) and the daemon has it (18.09+, Linux); else the classic builder.
 * Throws `UserError` when an explicit choice cannot work here.
 */
export function chooseBuilder(
  facts: DockerFacts,
  choice: BuilderChoice,
): { builder: Builder; reason: string } {
  const cliHasBuildKit = major(facts.clientVersion) < 23;
  const daemonHasBuildKit = major(facts.serverVersion) >= 18 && facts.serverOs === 'linux';
  if (choice === 'buildx' && !facts.buildx) {
    throw new UserError('buildx was asked for, but `docker buildx` is not installed', {
      field: 'input "builder"',
    });
  }
  if (choice === 'buildkit' && !facts.buildx && !(cliHasBuildKit && daemonHasBuildKit)) {
    throw new UserError(
      `BuildKit was asked for, but docker CLI ${facts.clientVersion} needs the buildx plugin for it (not installed)`,
      { field: 'input "builder"' },
    );
  }
  if (choice !== 'auto') return { builder: choice, reason: 'builder input' };
  if (facts.buildx) return { builder: 'buildx', reason: 'docker buildx is installed' };
  if (!daemonHasBuildKit) {
    return {
      builder: 'classic',
      reason: `daemon ${facts.serverVersion} (${facts.serverOs}) has no BuildKit`,
    };
  }
  if (!cliHasBuildKit) {
    return {
      builder: 'classic',
      reason: `docker CLI ${facts.clientVersion} needs the buildx plugin for BuildKit and it is not installed`,
    };
  }
  return { builder: 'buildkit', reason: `docker ${facts.clientVersion} with DOCKER_BUILDKIT=1` };
}

/** `type=registry,ref=x` (or a bare ref) → `x`, for `docker build --cache-from`, which takes image refs. */
function cacheRef(spec: string): string | undefined {
  if (!spec.includes('=')) return spec;
  const fields = Object.fromEntries(
    spec.split(',').map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]),
  );
  return fields.type === 'registry' && fields.ref ? fields.ref : undefined;
}

function commonArgs(t: ImageTarget, o: PlanOptions): string[] {
  const args: string[] = [];
  if (t.file) args.push('--file', t.file);
  // `--flag=value` in one argument: a value starting with `-` cannot be read as another flag.
  if (t.target) args.push(`--target=${t.target}`);
  for (const [k, v] of t.buildArgs) args.push('--build-arg', `${k}=${v}`);
  // An empty label says nothing (meta emits e.g. an empty description for a repository without one),
  // and the classic builder spends a build step on every --label: leave empty ones out.
  for (const [k, v] of t.labels) if (v !== '') args.push('--label', `${k}=${v}`);
  for (const tag of t.tags) args.push('--tag', tag);
  if (o.noCache) args.push('--no-cache');
  args.push('--iidfile', o.iidfile);
  return args;
}

function buildxPlan(t: ImageTarget, o: PlanOptions): BuildPlan {
  const b = o.buildkit ?? NO_BUILDKIT_INPUTS;
  const bk = buildKitArgs('buildx', b, o.secretDir ?? '');
  const args = ['buildx', 'build', ...commonArgs(t, o), '--metadata-file', o.metadataFile, ...bk.args];
  if (t.platforms.length) args.push(`--platform=${t.platforms.join(',')}`);
  if (!o.provenance && !attestsProvenance(b)) args.push('--provenance=false');
  const cacheRepo = t.tags[0] ? `${repository(parseRef(t.tags[0])!)}:buildcache` : undefined;
  const from =
    t.cacheFrom.length || !o.cache || !cacheRepo ? t.cacheFrom : [`type=registry,ref=${cacheRepo}`];
  const to =
    t.cacheTo.length || !o.cache || !o.push || !cacheRepo
      ? t.cacheTo
      : [`type=registry,ref=${cacheRepo},mode=max`];
  if (!o.noCache) for (const c of from) args.push('--cache-from', c);
  for (const c of to) args.push('--cache-to', c);
  // outputs: the image goes only where the user said. Else a multi-platform result cannot be loaded
  // into the local engine, so buildx pushes it itself.
  const exported = b.outputs.length > 0;
  const pushedByBuild = !exported && o.push && t.platforms.length > 1;
  if (pushedByBuild) args.push('--push');
  else if (!exported && t.platforms.length <= 1) args.push('--load');
  args.push(t.context);
  return { args, env: bk.env, pushedByBuild, warmCache: [], secretFiles: bk.files, exported };
}

/** The build command for one image. Throws `UserError` for what this builder cannot do. */
export function planBuild(t: ImageTarget, o: PlanOptions): BuildPlan {
  const b = o.buildkit ?? NO_BUILDKIT_INPUTS;
  checkBuilderSupports(o.builder, 'builder chosen for this run', b, [t]);
  if (o.builder === 'buildx') return buildxPlan(t, o);
  if (t.platforms.length > 1) {
    throw new UserError(
      `${t.name}: building for ${t.platforms.length} platforms (${t.platforms.join(', ')}) needs docker buildx, which is not installed`,
      { field: 'input "platforms"' },
    );
  }
  // --force-rm: the classic builder otherwise leaves the container of a failed RUN step behind.
  const args = ['build', ...(o.builder === 'classic' ? ['--force-rm'] : []), ...commonArgs(t, o)];
  if (t.platforms.length === 1) args.push(`--platform=${t.platforms[0]}`);
  const explicit = t.cacheFrom.map(cacheRef).filter((r): r is string => r !== undefined);
  const refs = [...explicit];
  if (o.cache && refs.length === 0 && t.tags[0] && o.push) refs.push(t.tags[0]);
  // The classic builder takes cache ONLY from the ancestry of --cache-from images (local layer cache
  // included), so naming an image that is not there disables caching altogether: keep only the refs
  // present locally (`o.localImages`). Explicit ones are pulled first (warmCache); the default (the
  // first tag) is not — on a fresh tag it never exists and a pull costs a registry round trip.
  const usable = o.builder === 'classic' ? refs.filter((r) => o.localImages?.has(r)) : refs;
  if (!o.noCache) for (const r of usable) args.push('--cache-from', r);
  // Inline cache: the pushed image carries its cache metadata, so the next run's --cache-from can
  // reuse layers straight from the registry (BuildKit only).
  if (o.builder === 'buildkit' && o.cache && o.push) args.push('--build-arg', 'BUILDKIT_INLINE_CACHE=1');
  const bk = buildKitArgs(o.builder, b, o.secretDir ?? '');
  args.push(...bk.args, t.context);
  const env = { DOCKER_BUILDKIT: o.builder === 'buildkit' ? '1' : '0' };
  const warmCache = o.builder === 'classic' && !o.noCache ? explicit : [];
  return { args, env, pushedByBuild: false, warmCache, secretFiles: bk.files, exported: false };
}

/** `docker push <ref>` — one per tag, each retried on its own. */
export function planPush(ref: string): string[] {
  return ['push', ref];
}

/** `docker login`: the password goes to stdin, never on the command line. */
export function planLogin(registry: string, username: string): string[] {
  return ['login', '--username', username, '--password-stdin', registry];
}

export function planLogout(registry: string): string[] {
  return ['logout', registry];
}

/** `docker history` in bytes with the full instruction that made each layer. */
export function planHistory(imageId: string): string[] {
  return ['history', '--no-trunc', '--human=false', '--format', '{{.Size}}\t{{.CreatedBy}}', imageId];
}
