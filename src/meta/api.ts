/**
 * The contract between the `meta` step and its users (`build-push`). Implemented in src/meta by
 * the meta issue; build-push imports only from this file.
 */
export interface MetaRequest {
  /** `images` input: one image per line, e.g. `ghcr.io/acme/app` or `name=…,enable=…`. */
  images: string[];
  /** `tags` input: metadata-action rules, one per line (empty: the default rule set). */
  tags: string[];
  /** `flavor` input lines. */
  flavor: string[];
  /** `labels` / `annotations` overrides, `key=value` per line. */
  labels: string[];
  annotations: string[];
}

export interface MetaResult {
  version: string;
  /** Full references, e.g. `ghcr.io/acme/app:1.2.3`. */
  tags: string[];
  /** Tag names without the image, e.g. `1.2.3`. */
  tagNames: string[];
  /** OCI labels and user overrides. */
  labels: Record<string, string>;
  /** `manifest:key=value` annotation lines. */
  annotations: string[];
}

/** What the run looks like (GitHub or GitLab): build it with `metaContextFromEnv(env)` from `./index.js`. */
export type { MetaContext, MetaRepo } from './context.js';
