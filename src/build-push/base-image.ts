/**
 * Names the build argument behind a base image that could not be found. Docker's own message
 * ("pull access denied for nope, repository does not exist …") names the image, not the
 * `ARG BASE_IMAGE` in the Dockerfile that chose it, which is what the user must change.
 */

/**
 * Docker's (classic builder and BuildKit) ways of saying an image could not be found or pulled: not in
 * the registry, or the registry not reachable (`Get "https://registry-1.docker.io/v2/": dial tcp …`),
 * which during a build only a pull does.
 */
const PULL_FAILED =
  /pull access denied|repository does not exist|manifest (?:for \S+ )?(?:not found|unknown)|failed to resolve source metadata|no such image|Get "https?:\/\/[^"]+\/v2\/|toomanyrequests/i;

/**
 * The build arguments used in `FROM` lines of a Dockerfile (`FROM ${BASE_IMAGE}`, `FROM $BASE AS x`,
 * `FROM ${REG}/node:${TAG}`), with the default given by the `ARG` line before the first `FROM`.
 */
export function fromArgs(dockerfile: string): Map<string, string | undefined> {
  const defaults = new Map<string, string | undefined>();
  const used = new Map<string, string | undefined>();
  let seenFrom = false;
  for (const raw of dockerfile.split('\n')) {
    const line = raw.trim();
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?/i.exec(line);
    if (arg && !seenFrom) defaults.set(arg[1], arg[2]?.replace(/^["']|["']$/g, ''));
    const from = /^FROM\s+(?:--\S+\s+)*(\S+)/i.exec(line);
    if (!from) continue;
    seenFrom = true;
    for (const m of from[1].matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) used.set(m[1], defaults.get(m[1]));
  }
  return used;
}

/**
 * One line for a failed build whose base image is missing and comes from a build argument, e.g.
 * `base image not found (build argument BASE_IMAGE=nope:1): pull access denied for nope, …`;
 * `undefined` when the failure is something else or no `FROM` uses an argument.
 */
export function missingBaseImageMessage(
  dockerfile: string,
  buildArgs: readonly (readonly [string, string])[],
  error: string,
): string | undefined {
  if (!PULL_FAILED.test(error)) return undefined;
  const args = fromArgs(dockerfile);
  if (!args.size) return undefined;
  const given = new Map(buildArgs.map(([k, v]) => [k, v]));
  const named = [...args].map(([name, dflt]) => {
    const value = given.get(name) ?? dflt;
    return value === undefined ? name : `${name}=${value}`;
  });
  return `base image not found (build argument ${named.join(', ')}): ${error}`;
}
