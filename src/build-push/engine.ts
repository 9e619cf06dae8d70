/** Small docker helpers for build-push: engine facts, image facts, a bounded parallel map. */
import { docker } from '../docker/cli.js';
import type { Env } from '../platform/context.js';
import type { DockerFacts } from './plan.js';

/** Client/server versions, server OS and whether `docker buildx` answers. */
export async function dockerFacts(env: Env): Promise<DockerFacts> {
  // Both probes at once: on a busy runner every docker CLI start costs tens of milliseconds.
  const [v, bx] = await Promise.all([
    docker(['version', '--format', '{{.Client.Version}}|{{.Server.Version}}|{{.Server.Os}}'], {
      env,
      timeoutMs: 30_000,
    }),
    docker(['buildx', 'version'], { env, check: false, timeoutMs: 30_000 }).catch(() => undefined),
  ]);
  const [clientVersion = '', serverVersion = '', serverOs = ''] = v.stdout.trim().split('|');
  return { buildx: bx?.code === 0, clientVersion, serverVersion, serverOs };
}

/** Size in bytes and number of layers of a local image. */
export async function imageFacts(
  id: string,
  env: Env,
): Promise<{ size: number; layers: number; repoDigests: string[] }> {
  const r = await docker(
    ['image', 'inspect', '--format', '{{.Size}}|{{len .RootFS.Layers}}|{{json .RepoDigests}}', id],
    { env },
  );
  const [size, layers, digests] = r.stdout.trim().split('|');
  return { size: Number(size), layers: Number(layers), repoDigests: JSON.parse(digests || '[]') as string[] };
}

/** True when the engine has the image locally. */
export async function hasImage(ref: string, env: Env): Promise<boolean> {
  const r = await docker(['image', 'inspect', '--format', '{{.Id}}', ref], { env, check: false });
  return r.code === 0;
}

/** The digest in `docker push` output (`<tag>: digest: sha256:… size: N`). */
export function pushDigest(stdout: string): string | undefined {
  return /digest: (sha256:[0-9a-f]{64})/.exec(stdout)?.[1];
}

/** Maps `items` with at most `limit` calls in flight; the first rejection wins after all settle. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]);
      } catch (err: unknown) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length) throw errors[0];
  return results;
}
