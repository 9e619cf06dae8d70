/**
 * The meta library: docker/metadata-action's tags, labels and annotations, for the `meta` step
 * and for `build-push`. Callers build a `MetaContext` with `metaContextFromEnv(env)` (GitHub or
 * GitLab) and pass their request to `computeMeta`.
 */
import type { MetaRequest } from './api.js';
import type { MetaContext } from './context.js';
import { computeMetaSync, type MetaComputed, type MetaOptions } from './compute.js';

export type { MetaRequest, MetaResult } from './api.js';
export type { MetaContext, MetaRepo } from './context.js';
export type { MetaOptions, MetaComputed } from './compute.js';
export { computeMetaSync, sanitizeTag } from './compute.js';
export { metaContextFromEnv, gitlabContext, commonContext } from './context-env.js';
// The step comes with the library: the meta action and build-push's dynamic import of this module then
// reach the same modules, which esbuild writes as one chunk instead of two (a file fewer to load).
export { step } from './step.js';
export {
  githubContext,
  githubEventContext,
  type GitHubContextOptions,
  type Payload,
} from './context-github.js';

/**
 * Computes version, tags, tag names, labels and annotations as docker/metadata-action does.
 * Async for the sake of callers that build the context lazily; the computation itself is pure.
 * Throws `UserError` for invalid `tags`, `flavor` or `images` lines (naming the input and line).
 */
export async function computeMeta(
  req: MetaRequest,
  ctx: MetaContext,
  opts: MetaOptions = {},
): Promise<MetaComputed> {
  return computeMetaSync(req, ctx, opts);
}
