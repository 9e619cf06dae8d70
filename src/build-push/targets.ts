/** From inputs (and, once wired, `meta`) to the list of images to build. */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Env } from '../platform/context.js';
import type { MetaRequest, MetaResult } from '../meta/api.js';
import type { BuildPushInputs } from './inputs.js';
import type { ImageTarget } from './plan.js';
import { parseRef } from '../docker/refs.js';

/**
 * The seam to the `meta` step; step.ts wires it to `computeMeta` in the CI context of the environment
 * read with the inputs (src/build-push/inputs.ts `getStepInputs`).
 */
export type ResolveMeta = (req: MetaRequest) => Promise<MetaResult>;

const isUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(s);

function mergeLabels(base: [string, string][], over: [string, string][]): [string, string][] {
  const m = new Map(base);
  for (const [k, v] of over) m.set(k, v);
  return [...m];
}

async function metaFor(i: BuildPushInputs, images: string[], resolveMeta?: ResolveMeta) {
  if (!resolveMeta) return undefined;
  return resolveMeta({
    images,
    tags: [],
    flavor: [],
    labels: i.labels.map(([k, v]) => `${k}=${v}`),
    annotations: [],
  });
}

/** Single-image mode: context, file and tags from the inputs (or meta when only `images` is given). */
async function singleTarget(
  i: BuildPushInputs,
  cwd: string,
  resolveMeta?: ResolveMeta,
): Promise<ImageTarget> {
  const context = isUrl(i.context) ? i.context : resolve(cwd, i.context);
  if (!isUrl(context) && !existsSync(context)) {
    throw new UserError(`build context ${context} does not exist`, { field: 'input "context"' });
  }
  const file = i.file ? resolve(cwd, i.file) : undefined;
  if (!isUrl(context) && !existsSync(file ?? join(context, 'Dockerfile'))) {
    throw new UserError(`no Dockerfile at ${file ?? join(context, 'Dockerfile')}`, {
      field: `input "${i.file ? 'file' : 'context'}"`,
    });
  }
  let tags = i.tags;
  let labels = i.labels;
  if (!tags.length && i.images.length) {
    const meta = await metaFor(i, i.images, resolveMeta);
    if (!meta) {
      throw new UserError(
        'images needs the meta step, which is not wired into build-push yet; give full references in tags',
        {
          field: 'input "images"',
        },
      );
    }
    tags = meta.tags;
    labels = mergeLabels(Object.entries(meta.labels), i.labels);
  }
  if (!tags.length && i.push) {
    throw new UserError(
      'nothing to push to: give at least one image reference (e.g. ghcr.io/acme/web:1.2.3)',
      { field: 'input "tags"' },
    );
  }
  const first = tags[0] ? parseRef(tags[0]) : undefined;
  return {
    name: i.name ?? (first ? basename(first.path) : 'image'),
    context,
    file,
    target: i.target,
    buildArgs: i.buildArgs,
    platforms: i.platforms,
    tags,
    labels,
    cacheFrom: i.cacheFrom,
    cacheTo: i.cacheTo,
  };
}

/** Compose mode: one target per service with `build:`; input build-args, labels and cache apply to all. */
async function composeModeTargets(
  i: BuildPushInputs,
  cwd: string,
  env: Env,
  resolveMeta?: ResolveMeta,
): Promise<ImageTarget[]> {
  const files = i.composeFiles.map((f) => resolve(cwd, f));
  files.forEach((path) => {
    if (!existsSync(path))
      throw new UserError(`compose file ${path} does not exist`, { field: 'input "compose-file"' });
  });
  // Meta (labels, tag names) does not depend on the files: it loads and runs while compose is read.
  const meta = i.tags.length ? undefined : metaFor(i, [], resolveMeta);
  meta?.catch(() => undefined); // awaited below, after compose has read the files
  // Loaded here: the YAML parser and the compose reader are needed in compose mode only.
  const [{ readCompose }, { composeTargets }, { findCompose }] = await Promise.all([
    import('../compose/model.js'),
    import('./compose.js'),
    import('../docker/cli.js'),
  ]);
  const resolved = await readCompose({
    cmd: () => findCompose(env.PATH ?? ''),
    inProcessWhenPlain: true,
    files,
    display: i.composeFiles,
    projectDir: dirname(files[0]),
    env,
    projectName: i.project,
  });
  const m = await meta;
  const targets = composeTargets(resolved, {
    project: i.project ?? resolved.model.name ?? basename(dirname(files[0])),
    services: i.services,
    tagNames: m ? m.tagNames : i.tags,
    push: i.push,
  });
  const extraLabels = m ? mergeLabels(Object.entries(m.labels), i.labels) : i.labels;
  return targets.map((t) => ({
    ...t,
    buildArgs: mergeLabels(t.buildArgs, i.buildArgs),
    labels: mergeLabels(t.labels, extraLabels),
    platforms: i.platforms.length ? i.platforms : t.platforms,
    cacheFrom: [...t.cacheFrom, ...i.cacheFrom],
    cacheTo: [...t.cacheTo, ...i.cacheTo],
  }));
}

/** The images this run builds. Throws `UserError` naming the input, file and line at fault. */
export function resolveTargets(
  i: BuildPushInputs,
  cwd: string,
  env: Env,
  resolveMeta?: ResolveMeta,
): Promise<ImageTarget[]> {
  return i.composeFiles.length
    ? composeModeTargets(i, cwd, env, resolveMeta)
    : singleTarget(i, cwd, resolveMeta).then((t) => [t]);
}
