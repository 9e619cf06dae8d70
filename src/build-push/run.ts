/** The thin "do" half of build-push: runs the plan through `exec`, reports, and cleans up. */
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StepFailure, UserError } from '../core/errors.js';
import { cliEngine } from '../docker/api.js';
import { docker } from '../docker/cli.js';
import type { Env } from '../platform/context.js';
import type { Platform } from '../platform/types.js';
import { buildxPlugins, dockerFacts, mapLimit, presentImages } from './engine.js';
import { buildOne, measure, pushOne, type Built, type Ctx } from './image.js';
import { Outputs, type BuildPushInputs } from './inputs.js';
import { login, logout, privateDockerConfig, resolveLogin } from './login.js';
import {
  cacheCandidates,
  checkBuilderSupports,
  chooseBuilder,
  factsToAsk,
  planHistory,
  type ImageTarget,
} from './plan.js';
import { checkCache, type BuildKitInputs } from './buildkit.js';
import { buildNeedsLogin } from './gate.js';
import { parseRef, registryOf } from '../docker/refs.js';
import {
  budgetMessage,
  imagesJson,
  logTable,
  parseHistory,
  summaryMarkdown,
  type ImageResult,
} from './report.js';
import type { RetryPolicy } from './retry.js';
import { resolveTargets, type ResolveMeta } from './targets.js';

export const State = { dockerConfig: 'docker-config', registry: 'registry' } as const;

export interface RunDeps {
  env: Env;
  cwd: string;
  resolveMeta?: ResolveMeta;
  /** Overrides the retry timing (tests). */
  retry?: Partial<RetryPolicy>;
}

async function checkBudget(results: readonly Built[], maxSize: number, c: Ctx): Promise<void> {
  const over = results.filter((r) => r.size > maxSize);
  if (!over.length) return;
  const messages = await Promise.all(
    over.map(async (r) => {
      // A multi-platform build pushed as it built: no local history; its size came from the registry.
      if (r.pushedByBuild)
        return `${budgetMessage(r.name, r.size, maxSize, [])}\n  (compressed size of its largest platform, read from the registry: a multi-platform build pushes as it builds, so this one is pushed)`;
      const h = await docker(planHistory(r.imageId), { env: c.dockerEnv });
      return budgetMessage(r.name, r.size, maxSize, parseHistory(h.stdout));
    }),
  );
  const pushed = over.some((r) => r.pushedByBuild) ? 'nothing else was pushed' : 'nothing was pushed';
  throw new StepFailure(`${over.length} image(s) over the size budget; ${pushed}.\n${messages.join('\n')}`);
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

/** Both settle before the first rejection is thrown, so nothing keeps running behind an error. */
async function both<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [x, y] = await Promise.allSettled([a, b]);
  if (x.status === 'rejected') throw x.reason;
  if (y.status === 'rejected') throw y.reason;
  return [x.value, y.value];
}

/**
 * Runs at most `limit` of the functions handed to it at once; the others wait in the order they came.
 * A finishing one hands its slot straight to the next, so the limit holds at every moment.
 */
function limiter(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (running < limit) running++;
    else await new Promise<void>((go) => waiting.push(go));
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/**
 * Several images, pushed, no size budget: each image is pushed as soon as its own build is done, while
 * the next ones build (as `docker buildx bake --push` does): at most `max-parallel` builds and, apart,
 * at most `max-parallel` pushes at once; each image's inspect beside its push. Once a build or push has
 * failed, no further push starts (one already pushed stays pushed). Sets the outputs of what was built
 * and pushed before a failure.
 */
async function buildAndPushEach(
  targets: readonly ImageTarget[],
  maxParallel: number,
  build: (t: ImageTarget) => Promise<Built>,
  c: Ctx,
): Promise<Built[]> {
  const done: Built[] = [];
  const errors: unknown[] = [];
  const fail = (err: unknown) => void errors.push(err);
  const pushSlot = limiter(maxParallel);
  const after: Promise<void>[] = [];
  const pushWhenFree = (r: Built) =>
    pushSlot(async () => {
      if (errors.length) c.platform.info(`${r.name}: not pushed (another image failed)`);
      else await pushOne(r, c);
    });
  const names = targets.map((t) => t.name).join(', ');
  return c.platform
    .group(`Build and push ${names}`, async () => {
      const results = await mapLimit(targets, maxParallel, async (t) => {
        const r = await build(t).catch((err: unknown) => {
          fail(err);
          throw err;
        });
        done.push(r);
        after.push(both(measure([r], c), pushWhenFree(r)).then(() => undefined, fail));
        return r;
      }).catch(() => []);
      await Promise.all(after);
      if (errors.length) throw errors[0];
      return results;
    })
    .catch((err: unknown) => {
      setOutputs(done, c.platform);
      throw err;
    });
}

/**
 * One image, no push, or a size budget: build all, check the budget (nothing is pushed
 * when one is over), then push all, the inspect for sizes beside the pushes.
 */
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

/** Masks a secret value, and each of its lines (GitHub masks a multi-line value only line by line). */
function maskSecret(value: string, platform: Platform): void {
  for (const part of [value, ...value.split(/\r?\n/)]) if (part.trim()) platform.setSecret(part);
}

/** secret-files: relative paths are from the working directory; each must exist before anything runs. */
function withSecretFiles(b: BuildKitInputs, cwd: string): BuildKitInputs {
  const secrets = b.secrets.map((s) => {
    if (!('file' in s)) return s;
    const file = resolve(cwd, s.file);
    if (!existsSync(file))
      throw new UserError(`${s.id}: no file at ${file}`, { field: 'input "secret-files"' });
    return { id: s.id, file };
  });
  return { ...b, secrets };
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
  // docker's version does not depend on the targets: it is asked while they are resolved (meta, compose).
  const userEnv: Env = deps.env.DOCKER_CONFIG ? { DOCKER_CONFIG: deps.env.DOCKER_CONFIG } : {};
  const plugin = buildxPlugins(userEnv, homedir()).length > 0;
  const userEngine = cliEngine({ ...deps.env, ...userEnv }, homedir());
  const factsAsked = dockerFacts(userEnv, factsToAsk(i.builder, plugin), userEngine);
  factsAsked.catch(() => undefined); // awaited below; not unhandled when resolving the targets fails first
  checkCache(i.cacheFrom, i.cacheTo, deps.env);
  for (const s of i.buildkit.secrets) if ('value' in s) maskSecret(s.value, platform);
  const targets = await resolveTargets(i, deps.cwd, deps.env, deps.resolveMeta);
  // No buildx plugin on disk: the builder will be classic or BuildKit-in-docker, so the classic builder's
  // cache lookup starts now, beside the version probe, the login and the work before the first build. It
  // asks the engine of the user's docker config (the private one made below copies its context choice).
  const cacheRefs = i.noCache
    ? []
    : targets.flatMap((t) => cacheCandidates(t, { cache: i.cache, push: i.push }));
  let present: Promise<ReadonlySet<string>> | undefined;
  const lookUp = () =>
    (present ??= presentImages(cacheRefs, userEnv, userEngine).catch(() => new Set<string>()));
  if (i.builder === 'classic' || (i.builder === 'auto' && !plugin)) void lookUp();
  const buildkit = withSecretFiles(i.buildkit, deps.cwd);
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
    const dockerEnv: Env = configDir ? { DOCKER_CONFIG: configDir } : userEnv;
    const opts = {
      push: i.push,
      noCache: i.noCache,
      cache: i.cache,
      provenance: i.provenance,
      buildkit,
    };
    const engine = cliEngine({ ...deps.env, ...dockerEnv }, homedir());
    const facts = await factsAsked;
    const { builder, reason } = chooseBuilder(facts, i.builder);
    platform.info(`Builder: ${builder} (${reason})`);
    checkBuilderSupports(builder, reason, buildkit, targets);
    // The login runs beside the first build when no build can pull from behind it (classic or
    // docker-build BuildKit, base and explicit cache images elsewhere); pushes always wait for it.
    const early =
      creds !== undefined &&
      builder !== 'buildx' &&
      !(await buildNeedsLogin(
        targets,
        creds.registry,
        targets.flatMap((t) => t.cacheFrom),
      ));
    const loggedIn = !creds
      ? Promise.resolve()
      : early
        ? login(creds, platform, dockerEnv, policy)
        : platform.group(`Log in to ${creds.registry}`, () => login(creds, platform, dockerEnv, policy));
    // A failed login stops the builds running beside it: nothing is left built for a run that fails.
    const stop = new AbortController();
    loggedIn.catch(() => stop.abort());
    if (!early) await loggedIn;
    const c: Ctx = {
      platform,
      creds,
      dockerEnv,
      engine,
      policy,
      tmp,
      parallel: targets.length > 1 && i.maxParallel > 1,
      present: lookUp,
      loggedIn,
      signal: stop.signal,
    };
    const build = (t: ImageTarget) => buildOne(t, builder, opts, c);
    const results =
      targets.length > 1 && i.push && i.maxSize === undefined
        ? await buildAndPushEach(targets, i.maxParallel, build, c)
        : await buildThenPush(targets, i, build, c);
    await loggedIn; // a failed login fails the step even when nothing was pushed
    setOutputs(results, platform);
    for (const line of logTable(results)) platform.info(line);
    await platform.addSummary(summaryMarkdown(results, builder));
    return results;
  } finally {
    await rm(tmp, { recursive: true, force: true });
    if (creds && configDir) await logout(creds.registry, configDir, platform);
  }
}
