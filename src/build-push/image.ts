/**
 * One image through docker: build it (with the classic builder's local cache images), read its size
 * and layers, push its tags with retries. run.ts decides when each of these happens.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StepFailure } from '../core/errors.js';
import { ExecError } from '../core/exec.js';
import type { DockerEndpoint } from '../docker/api.js';
import { docker } from '../docker/cli.js';
import type { Env } from '../platform/context.js';
import type { Platform } from '../platform/types.js';
import { missingBaseImageMessage } from './base-image.js';
import { imageFacts, imagesFacts, pushDigest } from './engine.js';
import { credentialsRefused, registryHealthy, type Credentials } from './login.js';
import {
  cacheCandidates,
  planBuild,
  planPush,
  type Builder,
  type ImageTarget,
  type PlanOptions,
} from './plan.js';
import { fetchManifest, platformSizes } from './manifest.js';
import { parseRef, registryOf, repository } from '../docker/refs.js';
import { formatSize, type ImageResult } from './report.js';
import { lastLine, withRetry, type RetryPolicy } from './retry.js';

/** What the per-image work shares within one run. */
export interface Ctx {
  platform: Platform;
  dockerEnv: Env;
  policy: RetryPolicy;
  tmp: string;
  parallel: boolean;
  creds?: Credentials;
  /** Which classic-builder cache candidates of all targets are local: looked up once, on first use. */
  present: () => Promise<ReadonlySet<string>>;
  /** The engine the docker CLI talks to, when known without running it (`cliEngine`): inspects ask its API. */
  engine?: DockerEndpoint;
  /** The registry login (settled before any build that could pull from behind it); pushes wait for it. */
  loggedIn: Promise<void>;
  /** Aborted when the login beside the builds fails. */
  signal?: AbortSignal;
}

export type BuildOpts = Omit<PlanOptions, 'builder' | 'iidfile' | 'metadataFile' | 'localImages'>;

const BUILDKIT_MISSING =
  /BuildKit is enabled but the buildx component is missing|buildkit not supported by daemon/i;

async function runBuild(t: ImageTarget, builder: Builder, o: BuildOpts, c: Ctx) {
  const iidfile = join(c.tmp, `${t.name}.iid`);
  const metadataFile = join(c.tmp, `${t.name}.json`);
  const secretDir = join(c.tmp, `${t.name}.secrets`);
  const base = { ...o, builder, iidfile, metadataFile, secretDir };
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
  if (plan.secretFiles.length) {
    await mkdir(secretDir, { recursive: true, mode: 0o700 });
    for (const f of plan.secretFiles) await writeFile(f.path, f.value, { mode: 0o600 });
  }
  const prefix = c.parallel ? `[${t.name}] ` : '';
  const run = () =>
    docker(plan.args, {
      env: { ...c.dockerEnv, ...plan.env },
      onStdout: (l) => c.platform.info(prefix + l),
      onStderr: (l) => c.platform.info(prefix + l),
      redact: (s) => c.platform.redact(s),
      signal: c.signal,
    });
  try {
    await (plan.pushedByBuild
      ? withRetry(`build and push of ${t.name}`, run, c.policy, (m) => c.platform.warning(m))
      : run());
  } catch (err: unknown) {
    await rm(secretDir, { recursive: true, force: true });
    if (c.signal?.aborted) await c.loggedIn; // the login's error, not the killed build's
    if (builder === 'buildkit' && err instanceof ExecError && BUILDKIT_MISSING.test(err.result.stderr)) {
      c.platform.warning(
        `${t.name}: BuildKit is not available here (${lastLine(err)}); using the classic builder`,
      );
      return runBuild(t, 'classic', o, c);
    }
    const dockerfile = await readFile(t.file ?? join(t.context, 'Dockerfile'), 'utf8').catch(() => '');
    const why = missingBaseImageMessage(dockerfile, t.buildArgs, lastLine(err)) ?? lastLine(err);
    throw new StepFailure(`build of ${t.name} failed: ${why}`);
  }
  await rm(secretDir, { recursive: true, force: true });
  // A local or tar exporter (outputs) writes no image id.
  const imageId = plan.exported
    ? (await readFile(iidfile, 'utf8').catch(() => '')).trim()
    : (await readFile(iidfile, 'utf8')).trim();
  let digest = '';
  if (plan.pushedByBuild || plan.exported) {
    const meta = JSON.parse(await readFile(metadataFile, 'utf8').catch(() => '{}')) as Record<string, string>;
    digest = meta['containerimage.digest'] ?? '';
  }
  return { imageId, digest, pushedByBuild: plan.pushedByBuild, exported: plan.exported };
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
      (await imageFacts(r.imageId, c.dockerEnv, c.engine)).repoDigests
        .find((d) => d.startsWith(`${repo}@`))
        ?.split('@')[1] ?? '';
  }
  return digest;
}

export type Built = ImageResult & {
  pushedByBuild: boolean;
  /** Sent only to the `outputs` destinations: nothing local to measure, nothing for shipkit to push. */
  exported?: boolean;
};

/** Builds one target; size and layers are filled in by `measure`. */
export async function buildOne(t: ImageTarget, builder: Builder, opts: BuildOpts, c: Ctx): Promise<Built> {
  const started = Date.now();
  const { imageId, digest, pushedByBuild, exported } = await runBuild(t, builder, opts, c);
  const buildMs = Date.now() - started;
  c.platform.info(
    `${t.name}: built ${imageId || '(exported to outputs)'} in ${(buildMs / 1000).toFixed(1)} s`,
  );
  return {
    name: t.name,
    tags: t.tags,
    imageId,
    digest,
    size: 0,
    layers: 0,
    buildMs,
    pushedByBuild,
    exported,
  };
}

/**
 * Size of an image a multi-platform build pushed as it built (no local image): its largest platform,
 * compressed, read from the pushed manifests. Before, such an image measured 0 and passed any budget.
 */
async function measurePushed(r: Built, c: Ctx): Promise<void> {
  const repo = repository(parseRef(r.tags[0])!);
  const ref = r.digest ? `${repo}@${r.digest}` : r.tags[0];
  const sizes = await platformSizes(ref, (x) => fetchManifest(x, c.dockerEnv)).catch((err: unknown) => {
    throw new StepFailure(`${r.name}: cannot measure the pushed image ${ref}: ${(err as Error).message}`);
  });
  const biggest = sizes.reduce((a, b) => (b.size > a.size ? b : a));
  r.size = biggest.size;
  r.layers = biggest.layers;
  c.platform.info(
    `${r.name}: pushed, compressed size per platform: ${sizes.map((s) => `${s.platform} ${formatSize(s.size)}`).join(', ')}`,
  );
}

/**
 * Reads size and layer count of built images: one inspect for all local ones (`imagesFacts`); an
 * image pushed by a multi-platform build is measured from its manifests in the registry.
 */
export async function measure(results: readonly Built[], c: Ctx): Promise<void> {
  await Promise.all(results.filter((r) => r.pushedByBuild).map((r) => measurePushed(r, c)));
  const local = results.filter((r) => !r.pushedByBuild && !r.exported);
  const facts = await imagesFacts(
    local.map((r) => r.imageId),
    c.dockerEnv,
    c.engine,
  );
  for (const r of local) {
    const f = facts.get(r.imageId);
    if (!f) throw new StepFailure(`${r.name}: docker image inspect found no image ${r.imageId}`);
    r.size = f.size;
    r.layers = f.layers;
  }
}

export async function pushOne(r: Built, c: Ctx): Promise<void> {
  if (r.pushedByBuild || r.exported) return;
  await c.loggedIn;
  r.digest = await pushTags(r, c);
}
