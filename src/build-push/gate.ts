/**
 * Whether a build can start before `docker login` has finished: only when nothing it pulls can be
 * behind that login. Then the login (a registry round trip, 60-120 ms) runs beside the first build
 * instead of before it; pushes always wait for it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageTarget } from './plan.js';
import { parseRef, registryOf } from '../docker/refs.js';

/**
 * The images a Dockerfile's `FROM` lines pull, with `ARG` defaults (before the first `FROM`) and the
 * given build arguments substituted; stage names and `scratch` left out. `undefined` when a `FROM`
 * cannot be resolved here (an unknown or computed argument): the caller must assume the worst.
 */
export function baseImages(
  dockerfile: string,
  buildArgs: readonly (readonly [string, string])[],
): string[] | undefined {
  const args = new Map<string, string | undefined>();
  const given = new Map(buildArgs);
  const stages = new Set<string>();
  const images: string[] = [];
  let seenFrom = false;
  // Continuation lines joined, as the Dockerfile parser does.
  for (const raw of dockerfile.replace(/\\\r?\n/g, ' ').split('\n')) {
    const line = raw.trim();
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?\s*$/i.exec(line);
    if (arg && !seenFrom) args.set(arg[1], given.get(arg[1]) ?? arg[2]?.replace(/^(["'])(.*)\1$/, '$2'));
    const from = /^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(line);
    if (!from) continue;
    seenFrom = true;
    let unresolved = false;
    const image = from[1].replace(
      /\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}?/g,
      (_m, name: string, dflt?: string) => {
        const v = args.get(name) ?? dflt;
        if (v === undefined) unresolved = true;
        return v ?? '';
      },
    );
    if (unresolved || image.includes('$')) return undefined;
    const key = image.toLowerCase();
    if (key !== 'scratch' && !stages.has(key)) images.push(image);
    if (from[2]) stages.add(from[2].toLowerCase());
  }
  return images;
}

/** True when some target may pull from `registry` while building (its base images, explicit cache images). */
export async function buildNeedsLogin(
  targets: readonly ImageTarget[],
  registry: string,
  /** Explicit cache-from entries (the classic builder pulls them before building). */
  cacheRefs: readonly string[],
): Promise<boolean> {
  const behind = (ref: string) => {
    const r = parseRef(ref);
    return !r || registryOf(r) === registry;
  };
  // `type=registry,ref=x` → x (other cache types are refused on the builders this gate serves).
  const refs = cacheRefs.map((c) => (c.includes('=') ? (/(?:^|,)ref=([^,]*)/.exec(c)?.[1] ?? '') : c));
  if (refs.some(behind)) return true;
  for (const t of targets) {
    if (/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(t.context)) return true;
    const text = await readFile(t.file ?? join(t.context, 'Dockerfile'), 'utf8').catch(() => undefined);
    const bases = text === undefined ? undefined : baseImages(text, t.buildArgs);
    if (!bases || bases.some(behind)) return true;
  }
  return false;
}
