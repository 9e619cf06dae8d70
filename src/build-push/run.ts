/** The thin "do" half of build-push: runs the plan through `exec`, reports, and cleans up. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { StepFailure } from '../core/errors.js';
import { ExecError } from '../core/exec.js';
import { docker } from '../docker/cli.js';
import type { Env } from '../platform/context.js';
import type { Platform } from '../platform/types.js';
import {
  buildxPlugins,
  dockerFacts,
  imageFacts,
  imagesFacts,
  mapLimit,
  presentImages,
  pushDigest,
} from './engine.js';
import { Outputs, type BuildPushInputs } from './inputs.js';
import {
  credentialsRefused,
  login,
  logout,
  privateDockerConfig,
  registryHealthy,
  resolveLogin,
  type Credentials,
} from './login.js';
import {
  cacheCandidates,
  chooseBuilder,
  planBuild,
  planHistory,
  planPush,
  type Builder,
  type ImageTarget,
  type PlanOptions,
} from './plan.js';
import { parseRef, registryOf } from './refs.js';
import {
  budgetMessage,
  imagesJson,
  logTable,
  parseHistory,
  summaryMarkdown,
  type ImageResult,
} from './report.js';
import { lastLine, withRetry, type RetryPolicy } from './retry.js';
import { resolveTargets, type ResolveMeta } from './targets.js';

export const State = { dockerConfig: 'docker-config', registry: 'registry' } as const;

export interface RunDeps {
  env: Env;
  cwd: string;
  resolveMeta?: ResolveMeta;
  /** Overrides the retry timing (tests). */
  retry?: Partial<RetryPolicy>;
}

interface Ctx {
  platform: Platform;
  dockerEnv: Env;
  policy: RetryPolicy;
  tmp: string;
  parallel: boolean;
  creds?: Credentials;
  /** Which classic-builder cache candidates of all targets are local: looked up once, on first use. */
  present: () => Promise<ReadonlySet<string>>;
}

type BuildOpts = Omit<PlanOptions, 'builder' | 'iidfile' | 'metadataFile' | 'localImages'>;

const BUILDKIT_MISSING =
  /BuildKit is enabled but the buildx component is missing|buildkit not supported by daemon/i;

async function runBuild(t: ImageTarget, builder: Builder, o: BuildOpts, c: Ctx) {
  const iidfile = join(c.tmp, `${t.name}.iid`);
  const metadataFile = join(c.tmp, `${t.name}.json`);
  const base = { ...o, builder, iidfile, metadataFile };
  const localImages = new Set<string>();
  if (builder === 'classic' && !o.noCache) {
    const present = await c.present();
    for (const ref of planBuild(t, base).warmCache) {
      if (present.has(ref)) continue;
      const r = await docker(['pull', ref], { env: c.dockerEnv, check: false, timeoutMs: 600_000 });
      c.platform.info(`${t.name}: cache image ${ref} ${r.code === 0 ? 'pulled' : 'not available'}`);
      if (r.code === 0) localImages.add(ref);
    }
    for (const ref of cacheCandidates(t, o)) if (present.has(ref)) localImages.add(ref);
  }
  const plan = planBuild(t, { ...base, localImages });
  const prefix = c.parallel ? `[${t.name}] ` : '';
  const run = () =>
    docker(plan.args, {
      env: { ...c.dockerEnv, ...plan.env },
      onStdout: (l) => c.platform.info(prefix + l),
      onStderr: (l) => c.platform.info(prefix + l),
      redact: (s) => c.platform.redact(s),
    });
  try {
    await (plan.pushedByBuild
      ? withRetry(`build and push of ${t.name}`, run, c.policy, (m) => c.platform.warning(m))
      : run());
  } catch (err: unknown) {
    if (builder === 'buildkit' && err instanceof ExecError && BUILDKIT_MISSING.test(err.result.stderr)) {
      c.platform.warning(
        `${t.name}: BuildKit is not available here (${lastLine(err)}); using the classic builder`,
      );
      return runBuild(t, 'classic', o, c);
    }
    throw new StepFailure(`build of ${t.name} failed: ${lastLine(err)}`);
  }
  const imageId = (await readFile(iidfile, 'utf8')).trim();
  let digest = '';
  if (plan.pushedByBuild) {
    const meta = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, string>;
    digest = meta['containerimage.digest'] ?? '';
  }
  return { imageId, digest, pushedByBuild: plan.pushedByBuild };
}

/**
 * "authentication required" after a good login means docker sent no credentials, which it does when its
 * `/v2/` ping failed: transient if our credentials still work. "denied"/403 (no push permission) is final.
 */
async function pushAuthIsGenuine(message: string, tag: string, c: Ctx): Promise<boolean> {
  const registry = registryOf(parseRef(tag)!);
  if (!(await registryHealthy(registry))) return false;
  if (
    !c.creds ||
    c.creds.registry !== registry ||
    !/authentication required|no basic auth credentials/i.test(message)
  )
    return true;
  return credentialsRefused(c.creds);
}

async function pushTags(r: ImageResult, c: Ctx): Promise<string> {
  let digest = '';
  for (const tag of r.tags) {
    const out = await withRetry(
      `push of ${tag}`,
      () =>
        docker(planPush(tag), {
          env: c.dockerEnv,
          redact: (s) => c.platform.redact(s),
          timeoutMs: 1_800_000,
        }),
      { ...c.policy, authIsGenuine: c.policy.authIsGenuine ?? ((m) => pushAuthIsGenuine(m, tag, c)) },
      (m) => c.platform.warning(m),
    ).catch((err: unknown) => {
      throw new StepFailure(c.platform.redact(err instanceof Error ? err.message : String(err)));
    });
    digest ||= pushDigest(out.stdout) ?? '';
    c.platform.info(`${r.name}: pushed ${tag}${digest ? ` (${digest})` : ''}`);
  }
  if (!digest) {
    const repo = r.tags[0].replace(/:[^:/]+$/, '');
    digest =
      (await imageFacts(r.imageId, c.dockerEnv)).repoDigests
        .find((d) => d.startsWith(`${repo}@`))
        ?.split('@')[1] ?? '';
  }
  return digest;
}

async function checkBudget(results: readonly ImageResult[], maxSize: number, c: Ctx): Promise<void> {
  const over = results.filter((r) => r.size > maxSize);
  if (!over.length) return;
  const messages = await Promise.all(
    over.map(async (r) => {
      const h = await docker(planHistory(r.imageId), { env: c.dockerEnv });
      return budgetMessage(r.name, r.size, maxSize, parseHistory(h.stdout));
    }),
  );
  throw new StepFailure(
    `${over.length} image(s) over the size budget; nothing was pushed.\n${messages.join('\n')}`,
  );
}

function setOutputs(results: readonly ImageResult[], platform: Platform): void {
  const one = results.length === 1;
  const per = (f: (r: ImageResult) => string | number) =>
    one ? String(f(results[0])) : results.map((r) => `${r.name}=${f(r)}`).join('\n');
  platform.setOutput(
    Outputs.digest,
    per((r) => r.digest),
  );
  platform.setOutput(
    Outputs.imageid,
    per((r) => r.imageId),
  );
  platform.setOutput(
    Outputs.size,
    per((r) => r.size),
  );
  platform.setOutput(Outputs.tags, results.flatMap((r) => r.tags).join('\n'));
  platform.setOutput(Outputs.images, JSON.stringify(imagesJson(results)));
}

type Built = ImageResult & { pushedByBuild: boolean };

/** Builds one target; size and layers are filled in by `measure`. */
async function buildOne(t: ImageTarget, builder: Builder, opts: BuildOpts, c: Ctx): Promise<Built> {
  const started = Date.now();
  const { imageId, digest, pushedByBuild } = await runBuild(t, builder, opts, c);
  const buildMs = Date.now() - started;
  c.platform.info(`${t.name}: built ${imageId} in ${(buildMs / 1000).toFixed(1)} s`);
  return { name: t.name, tags: t.tags, imageId, digest, size: 0, layers: 0, buildMs, pushedByBuild };
}

/** Reads size and layer count of built images: one `docker image inspect` for all of them. */
async function measure(results: readonly Built[], c: Ctx): Promise<void> {
  // A multi-platform buildx push leaves no local image to measure.
  const local = results.filter((r) => !r.pushedByBuild);
  const facts = await imagesFacts(
    local.map((r) => r.imageId),
    c.dockerEnv,
  );
  for (const r of local) {
    const f = facts.get(r.imageId);
    if (!f) throw new StepFailure(`${r.name}: docker image inspect found no image ${r.imageId}`);
    r.size = f.size;
    r.layers = f.layers;
  }
}

async function pushOne(r: Built, c: Ctx): Promise<void> {
  if (!r.pushedByBuild) r.digest = await pushTags(r, c);
}

/** Both settle before the first rejection is thrown, so nothing keeps running behind an error. */
async function both<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [x, y] = await Promise.allSettled([a, b]);
  if (x.status === 'rejected') throw x.reason;
  if (y.status === 'rejected') throw y.reason;
  return [x.value, y.value];
}

/**
 * Several images, pushed and no size budget: each image is pushed as soon as its own build is done
 * (`max-parallel` images in flight, each build then push), its inspect running beside its push.
 * Sets the outputs of what was built and pushed before a failure.
 */
async function buildAndPushEach(
  targets: readonly ImageTarget[],
  maxParallel: number,
  build: (t: ImageTarget) => Promise<Built>,
  c: Ctx,
): Promise<Built[]> {
  const done: Built[] = [];
  const names = targets.map((t) => t.name).join(', ');
  return c.platform
    .group(`Build and push ${names}`, () =>
      mapLimit(targets, maxParallel, async (t) => {
        const r = await build(t);
        done.push(r);
        await both(measure([r], c), pushOne(r, c));
        return r;
      }),
    )
    .catch((err: unknown) => {
      setOutputs(done, c.platform);
      throw err;
    });
}

/** One image, no push, or a size budget: build all, check the budget (nothing is pushed when one is over), push all. */
async function buildThenPush(
  targets: readonly ImageTarget[],
  i: BuildPushInputs,
  build: (t: ImageTarget) => Promise<Built>,
  c: Ctx,
): Promise<Built[]> {
  const results = await c.platform.group(`Build ${targets.map((t) => t.name).join(', ')}`, () =>
    mapLimit(targets, i.maxParallel, build),
  );
  if (i.maxSize !== undefined) {
    const max = i.maxSize;
    await measure(results, c);
    await c.platform
      .group('Check image size budget', () => checkBudget(results, max, c))
      .catch((err: unknown) => {
        setOutputs(results, c.platform);
        throw err;
      });
    if (i.push) await pushAll(results, i.maxParallel, c);
  } else if (i.push) {
    await both(measure(results, c), pushAll(results, i.maxParallel, c));
  } else {
    await measure(results, c);
  }
  return results;
}

function pushAll(results: Built[], maxParallel: number, c: Ctx): Promise<void> {
  return c.platform
    .group('Push', () => mapLimit(results, maxParallel, (r) => pushOne(r, c)))
    .then(() => undefined)
    .catch((err: unknown) => {
      setOutputs(results, c.platform); // what was pushed before the failure keeps its digest
      throw err;
    });
}

/**
 * Logs in (when credentials resolve) while docker's version and the local cache images are looked up,
 * builds every target with at most `max-parallel` images in flight, checks the size budget (nothing is
 * pushed when an image is over), pushes every tag with retries (each image as soon as it is built when
 * there is no budget), sets the outputs and writes the summary. Always logs out of a private docker
 * config at the end.
 */
export async function buildPush(
  i: BuildPushInputs,
  platform: Platform,
  deps: RunDeps,
): Promise<ImageResult[]> {
  const targets = await resolveTargets(i, deps.cwd, deps.env, deps.resolveMeta);
  const policy: RetryPolicy = {
    attempts: i.retries,
    baseDelayMs: i.retryDelayMs,
    maxDelayMs: 30_000,
    ...deps.retry,
  };
  const firstTag = targets[0].tags[0] ? parseRef(targets[0].tags[0]) : undefined;
  const creds = resolveLogin(i, deps.env, firstTag && i.push ? registryOf(firstTag) : undefined);
  if (creds) platform.setSecret(creds.password);
  const tmp = await mkdtemp(join(deps.env.RUNNER_TEMP || tmpdir(), 'shipkit-build-'));
  let configDir: string | undefined;
  try {
    if (creds && i.logout) {
      configDir = await privateDockerConfig(deps.env, creds.registry);
      platform.saveState(State.dockerConfig, configDir);
      platform.saveState(State.registry, creds.registry);
    }
    const dockerEnv: Env = configDir
      ? { DOCKER_CONFIG: configDir }
      : deps.env.DOCKER_CONFIG
        ? { DOCKER_CONFIG: deps.env.DOCKER_CONFIG }
        : {};
    const opts = { push: i.push, noCache: i.noCache, cache: i.cache, provenance: i.provenance };
    // No buildx plugin on disk: the builder will be classic or BuildKit-in-docker, so the classic
    // builder's cache lookup can start now, beside the version probe and the login.
    const plugin = buildxPlugins(dockerEnv, homedir()).length > 0;
    const cacheRefs = i.noCache ? [] : targets.flatMap((t) => cacheCandidates(t, opts));
    let present: Promise<ReadonlySet<string>> | undefined;
    const lookUp = () => (present ??= presentImages(cacheRefs, dockerEnv).catch(() => new Set<string>()));
    if (i.builder === 'classic' || (i.builder === 'auto' && !plugin)) void lookUp();
    const [facts] = await both(
      dockerFacts(dockerEnv, {
        probeBuildx: i.builder === 'buildx' || i.builder === 'buildkit' || (i.builder === 'auto' && plugin),
      }),
      creds
        ? platform.group(`Log in to ${creds.registry}`, () => login(creds, platform, dockerEnv, policy))
        : Promise.resolve(),
    );
    const { builder, reason } = chooseBuilder(facts, i.builder);
    platform.info(`Builder: ${builder} (${reason})`);
    const c: Ctx = {
      platform,
      creds,
      dockerEnv,
      policy,
      tmp,
      parallel: targets.length > 1 && i.maxParallel > 1,
      present: lookUp,
    };
    const build = (t: ImageTarget) => buildOne(t, builder, opts, c);
    const results =
      i.push && i.maxSize === undefined && targets.length > 1
        ? await buildAndPushEach(targets, i.maxParallel, build, c)
        : await buildThenPush(targets, i, build, c);
    setOutputs(results, platform);
    for (const line of logTable(results)) platform.info(line);
    await platform.addSummary(summaryMarkdown(results, builder));
    return results;
  } finally {
    await rm(tmp, { recursive: true, force: true });
    if (creds && configDir) await logout(creds.registry, configDir, platform);
  }
}
