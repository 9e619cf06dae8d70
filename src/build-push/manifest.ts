/**
 * The size of a pushed image, measured from its manifest(s) in the registry: what a multi-platform
 * build that pushes as it builds leaves behind (there is no local image to inspect). One platform's
 * size is its config plus its layers as stored (compressed): what a pull of that platform fetches.
 */
import { StepFailure } from '../core/errors.js';
import { docker } from '../docker/cli.js';
import type { Env } from '../platform/context.js';

/** An OCI / Docker distribution descriptor. */
export interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

/** An image manifest or an index (manifest list), as the registry serves it. */
export interface ManifestDoc {
  schemaVersion?: number;
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

export interface PlatformSize {
  /** `linux/amd64`, `linux/arm/v7`; `unknown` when a single manifest carries no platform. */
  platform: string;
  digest: string;
  /** Config plus layers, compressed, in bytes. */
  size: number;
  layers: number;
}

/** True for an OCI index or a Docker manifest list. */
export function isIndex(doc: ManifestDoc): boolean {
  return Array.isArray(doc.manifests);
}

/**
 * The image manifests of an index: BuildKit's attestation manifests (`unknown/unknown`, with a
 * `vnd.docker.reference.type` annotation) and nested indexes' entries without a platform are not images.
 */
export function imageEntries(index: ManifestDoc): Descriptor[] {
  return (index.manifests ?? []).filter(
    (d) =>
      !d.annotations?.['vnd.docker.reference.type'] &&
      !(d.platform?.os === 'unknown' && d.platform.architecture === 'unknown'),
  );
}

/** `os/arch[/variant]` of a descriptor. */
export function platformName(d: Descriptor): string {
  const p = d.platform;
  if (!p?.os || !p.architecture) return 'unknown';
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** Bytes of one image manifest: its config and every layer. Throws when it is not an image manifest. */
export function imageBytes(doc: ManifestDoc): { size: number; layers: number } {
  if (!doc.config || !Array.isArray(doc.layers))
    throw new Error(`not an image manifest (mediaType ${doc.mediaType ?? 'not given'})`);
  const layers = doc.layers.reduce((sum, l) => sum + (Number.isFinite(l.size) ? l.size : 0), 0);
  return { size: doc.config.size + layers, layers: doc.layers.length };
}

/**
 * Sizes of every platform of the image at `ref` (`repo@digest` or `repo:tag`), through `fetch`
 * (one manifest per call). A single manifest gives one entry; an index one per image platform.
 */
export async function platformSizes(
  ref: string,
  fetch: (ref: string) => Promise<ManifestDoc>,
): Promise<PlatformSize[]> {
  const top = await fetch(ref);
  const at = ref.indexOf('@');
  const repo = at >= 0 ? ref.slice(0, at) : ref.replace(/:[^:/]+$/, '');
  if (!isIndex(top)) return [{ platform: 'unknown', digest: '', ...imageBytes(top) }];
  const entries = imageEntries(top);
  if (!entries.length) throw new Error(`the index at ${ref} lists no image manifest`);
  return Promise.all(
    entries.map(async (d) => {
      const doc = await fetch(`${repo}@${d.digest}`);
      // An index inside an index (rare): its largest platform stands for it.
      if (isIndex(doc)) {
        const inner = await platformSizes(`${repo}@${d.digest}`, fetch);
        const big = inner.reduce((a, b) => (b.size > a.size ? b : a));
        return { ...big, platform: platformName(d) === 'unknown' ? big.platform : platformName(d) };
      }
      return { platform: platformName(d), digest: d.digest, ...imageBytes(doc) };
    }),
  );
}

/**
 * Reads one manifest from the registry with `docker manifest inspect` (the user's docker config and
 * its credentials; plain HTTP for registries on 127.0.0.0/8, as the engine allows them).
 */
export async function fetchManifest(ref: string, env: Env): Promise<ManifestDoc> {
  const insecure = /^(localhost|127\.\d+\.\d+\.\d+)(:\d+)?\//.test(ref) ? ['--insecure'] : [];
  const r = await docker(['manifest', 'inspect', ...insecure, ref], {
    env: { DOCKER_CLI_EXPERIMENTAL: 'enabled', ...env },
    check: false,
    timeoutMs: 120_000,
  });
  if (r.code !== 0)
    throw new StepFailure(`cannot read the manifest of ${ref} from its registry: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as ManifestDoc;
}
