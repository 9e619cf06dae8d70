/** Small docker helpers for build-push: engine facts, image facts, a bounded parallel map. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerApi, DockerApiError, type DockerEndpoint } from '../docker/api.js';
import { docker } from '../docker/cli.js';
import type { Env } from '../platform/context.js';
import type { DockerFacts, FactsToAsk } from './plan.js';

/** Where the docker CLI looks for plugins on Linux and macOS (docker/cli cli-plugins/manager). */
const SYSTEM_PLUGIN_DIRS = [
  '/usr/local/lib/docker/cli-plugins',
  '/usr/local/libexec/docker/cli-plugins',
  '/usr/lib/docker/cli-plugins',
  '/usr/libexec/docker/cli-plugins',
  '/Applications/Docker.app/Contents/Resources/cli-plugins',
];

/**
 * The `docker-buildx` plugin binaries the docker CLI would find, in its search order: the config's
 * `cliPluginsExtraDirs`, `$DOCKER_CONFIG/cli-plugins` (default `~/.docker`), then the system dirs
 * (`%ProgramData%` and `%ProgramFiles%` `\Docker\cli-plugins` on Windows). A file check, no process.
 */
export function buildxPlugins(env: Env, home: string, platform = process.platform): string[] {
  const configDir = env.DOCKER_CONFIG || join(home, '.docker');
  let extra: string[] = [];
  try {
    const config = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')) as {
      cliPluginsExtraDirs?: unknown;
    };
    if (Array.isArray(config.cliPluginsExtraDirs))
      extra = config.cliPluginsExtraDirs.filter((d): d is string => typeof d === 'string');
  } catch {
    // No config (or not JSON): the CLI then uses the default dirs only.
  }
  const win = platform === 'win32';
  const system = win
    ? [env.ProgramData, env.ProgramFiles].filter(Boolean).map((d) => join(d!, 'Docker', 'cli-plugins'))
    : SYSTEM_PLUGIN_DIRS;
  const file = win ? 'docker-buildx.exe' : 'docker-buildx';
  return [...extra, join(configDir, 'cli-plugins'), ...system]
    .map((d) => join(d, file))
    .filter((f) => existsSync(f));
}

/**
 * `client|server|os` as `docker version --format` prints them, from the CLI's `--version` line (which does not
 * dial the engine: ~8 ms less than `docker version` here) and the engine's `GET /version` in process. Only
 * with the CLI's engine known without running it (`engine`, see `cliEngine`); undefined when either answer
 * is missing or not as expected (another CLI behind `docker`, the engine down): `docker version` then runs
 * and says what is wrong as before.
 */
async function versionsByApi(env: Env, engine: DockerEndpoint | undefined): Promise<string | undefined> {
  if (!engine) return undefined;
  const [cli, server] = await Promise.all([
    docker(['--version'], { env, check: false, timeoutMs: 30_000 }).catch(() => undefined),
    new DockerApi(engine)
      .call<{ Version?: unknown; Os?: unknown }>('GET', '/version', { timeoutMs: 30_000 })
      .catch(() => undefined),
  ]);
  const client = cli?.code === 0 ? /^Docker version ([^\s,|]+),/.exec(cli.stdout)?.[1] : undefined;
  const { Version: version, Os: os } = server ?? {};
  if (!client || typeof version !== 'string' || typeof os !== 'string') return undefined;
  return [client, version, os].join('|');
}

/**
 * Client/server versions, server OS and whether `docker buildx` works, asking only what `ask` names
 * (`factsToAsk`): `docker version` and `docker buildx version` at once, or the version only after the probe
 * said no (`withoutBuildx`), or one of them alone. What is not asked is left empty (`buildx` false, versions '').
 * The probe runs when asked even without a known plugin: one in a place we do not know still counts.
 * The versions come through `engine`'s API and `docker --version` where it is given (`versionsByApi`).
 */
export async function dockerFacts(env: Env, ask: FactsToAsk, engine?: DockerEndpoint): Promise<DockerFacts> {
  const version = async () =>
    (await versionsByApi(env, engine)) ??
    (
      await docker(['version', '--format', '{{.Client.Version}}|{{.Server.Version}}|{{.Server.Os}}'], {
        env,
        timeoutMs: 30_000,
      })
    ).stdout;
  const probe = ask.probeBuildx
    ? docker(['buildx', 'version'], { env, check: false, timeoutMs: 30_000 }).then(
        (r) => r.code === 0,
        () => false,
      )
    : Promise.resolve(false);
  const early = ask.versions === 'always' ? version() : undefined;
  early?.catch(() => undefined); // awaited below, after the probe
  const buildx = await probe;
  const v = (await early) ?? (ask.versions === 'withoutBuildx' && !buildx ? await version() : undefined);
  const [clientVersion = '', serverVersion = '', serverOs = ''] = v?.trim().split('|') ?? [];
  return { buildx, clientVersion, serverVersion, serverOs };
}

export interface ImageFacts {
  size: number;
  layers: number;
  repoDigests: string[];
}

/** The part of the engine's image inspect answer build-push reads (`GET /images/{name}/json`). */
interface InspectAnswer {
  Id: string;
  Size: number;
  RootFS?: { Layers?: string[] | null };
  RepoDigests?: string[] | null;
}

/**
 * `docker image inspect` of each ref through the engine's API, in process: each CLI start costs
 * 30-100 ms (more on a busy runner), and one of them sat before the first build. Only with the CLI's
 * engine known without running it (`endpoint`, from `cliEngine`: a local socket, no context); a missing
 * image answers undefined (404). Undefined overall where the CLI must answer: no endpoint given, no
 * answer on the socket, or any other refusal (the CLI then words the error as before).
 */
async function inspectByApi(
  refs: readonly string[],
  endpoint: DockerEndpoint | undefined,
): Promise<(InspectAnswer | undefined)[] | undefined> {
  if (!endpoint) return undefined;
  const api = new DockerApi(endpoint);
  // Path segments escaped as the docker client does for the same call; the engine decodes them.
  const path = (ref: string) => `/images/${ref.split('/').map(encodeURIComponent).join('/')}/json`;
  try {
    return await Promise.all(
      refs.map((ref) =>
        api.call<InspectAnswer>('GET', path(ref)).catch((err: unknown) => {
          if (err instanceof DockerApiError && err.status === 404) return undefined;
          throw err;
        }),
      ),
    );
  } catch {
    return undefined;
  }
}

function factsOf(a: InspectAnswer): ImageFacts {
  return { size: a.Size, layers: a.RootFS?.Layers?.length ?? 0, repoDigests: a.RepoDigests ?? [] };
}

/**
 * Size in bytes, number of layers and repo digests of local images, by id: through the API of `engine`
 * when given (the CLI's engine under `env`, see `cliEngine`), else (or when one is missing) one
 * `docker image inspect`, which throws for a missing image.
 */
export async function imagesFacts(
  ids: readonly string[],
  env: Env,
  engine?: DockerEndpoint,
): Promise<Map<string, ImageFacts>> {
  const facts = new Map<string, ImageFacts>();
  const unique = [...new Set(ids)];
  if (!unique.length) return facts;
  const answers = await inspectByApi(unique, engine);
  if (answers?.every((a) => a !== undefined)) {
    unique.forEach((id, n) => facts.set(id, factsOf(answers[n])));
    return facts;
  }
  const r = await docker(
    [
      'image',
      'inspect',
      '--format',
      '{{.Id}}|{{.Size}}|{{len .RootFS.Layers}}|{{json .RepoDigests}}',
      ...unique,
    ],
    { env },
  );
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const [id, size, layers, digests] = line.split('|');
    facts.set(id, {
      size: Number(size),
      layers: Number(layers),
      repoDigests: JSON.parse(digests || '[]') as string[],
    });
  }
  return facts;
}

/** Facts of one local image (see `imagesFacts`). */
export async function imageFacts(id: string, env: Env, engine?: DockerEndpoint): Promise<ImageFacts> {
  const f = (await imagesFacts([id], env, engine)).get(id);
  if (!f) throw new Error(`docker image inspect ${id} gave no facts`);
  return f;
}

/**
 * Which of `refs` the engine has locally: through the API of `engine` when given (the CLI's engine
 * under `env`, see `cliEngine`), else one `docker image inspect` for all of them. Docker names each missing one in a
 * `No such image: <ref>` line; when it fails for another reason, none count as present.
 */
export async function presentImages(
  refs: readonly string[],
  env: Env,
  engine?: DockerEndpoint,
): Promise<Set<string>> {
  const unique = [...new Set(refs)];
  if (!unique.length) return new Set();
  const answers = await inspectByApi(unique, engine);
  if (answers) return new Set(unique.filter((_, n) => answers[n] !== undefined));
  const r = await docker(['image', 'inspect', '--format', '{{.Id}}', ...unique], { env, check: false });
  if (r.code === 0) return new Set(unique);
  const lines = r.stderr.split('\n').map((l) => l.trim());
  const missing = new Set(unique.filter((ref) => lines.some((l) => l.endsWith(`No such image: ${ref}`))));
  const found = r.stdout.split('\n').filter(Boolean).length;
  return found === unique.length - missing.size
    ? new Set(unique.filter((ref) => !missing.has(ref)))
    : new Set();
}

/** The digest in `docker push` output (`<tag>: digest: sha256:… size: N`). */
export function pushDigest(stdout: string): string | undefined {
  return /digest: (sha256:[0-9a-f]{64})/.exec(stdout)?.[1];
}

export { mapLimit } from '../io/time.js';
