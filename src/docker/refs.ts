/**
 * Docker image references, validated with the grammar of distribution/reference, so a tag such as
 * `$(touch pwned)` is refused with a clear error before anything runs (it would be harmless anyway:
 * shipkit never builds shell strings, but a bad ref should fail in one line, not deep inside docker).
 */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REF = new RegExp(`^(?:(${DOMAIN})/)?(${COMPONENT}(?:/${COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const TAG_ONLY = new RegExp(`^${TAG}$`);

export interface ImageRef {
  /** Registry host (with port) when the reference names one, e.g. `ghcr.io`, `127.0.0.1:5000`. */
  registry?: string;
  /** Path inside the registry, e.g. `acme/app`. */
  path: string;
  tag?: string;
  digest?: string;
}

/** Parses an image reference; `undefined` when it is not valid. */
export function parseRef(text: string): ImageRef | undefined {
  const m = REF.exec(text);
  if (!m) return undefined;
  let registry: string | undefined = m[1];
  let path = m[2];
  // Docker reads the first component as a registry only when it looks like a host name.
  if (registry && !/[.:]/.test(registry) && registry !== 'localhost' && registry === registry.toLowerCase()) {
    path = `${registry}/${path}`;
    registry = undefined;
  }
  if ((registry ? registry.length + 1 : 0) + path.length > 255) return undefined;
  return { registry, path, tag: m[3], digest: m[4] };
}

/** The repository part of a reference (`host/path`, no tag or digest). */
export function repository(ref: ImageRef): string {
  return ref.registry ? `${ref.registry}/${ref.path}` : ref.path;
}

/** The registry a reference is pushed to, as `docker login` names it (`docker.io` by default). */
export function registryOf(ref: ImageRef): string {
  return ref.registry ?? 'docker.io';
}

/** `repo:tag`, adding `:latest` when the reference carries neither tag nor digest. */
export function withTag(ref: ImageRef): string {
  return `${repository(ref)}:${ref.tag ?? 'latest'}`;
}

/** True when `text` is a valid tag name (what follows the `:`). */
export function isTagName(text: string): boolean {
  return TAG_ONLY.test(text);
}
