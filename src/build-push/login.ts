/**
 * Registry login and logout. The password reaches `docker login --password-stdin` through stdin and
 * is registered as a secret before anything runs, so it is in no command line and no log.
 *
 * With `logout: true` (default) shipkit logs in to a private DOCKER_CONFIG directory made for this run
 * (seeded with a copy of the user's config.json, so other registries' credentials and settings still
 * work): the user's own ~/.docker/config.json is never rewritten, parallel jobs on a self-hosted runner
 * cannot log each other out, and the credentials disappear with the directory at the end of the step
 * (the post step removes it too, should the main step have been killed). With `logout: false` it logs
 * in to the user's config and leaves the credentials there for later steps, as docker/login-action does.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { docker } from '../docker/cli.js';
import { answers, httpRequest } from '../io/http.js';
import { detectCi, type Env } from '../platform/context.js';
import type { Platform } from '../platform/types.js';
import type { BuildPushInputs } from './inputs.js';
import { planLogin, planLogout } from './plan.js';
import { RetryError, withRetry, type RetryPolicy } from './retry.js';

export interface Credentials {
  registry: string;
  username: string;
  password: string;
  /** Where the defaults came from, for the log (never the password). */
  source: string;
}

type LoginInputs = Pick<BuildPushInputs, 'registry' | 'username' | 'password' | 'githubToken'>;

/**
 * Who logs in where. Registry: the `registry` input, else the registry of the first tag, else the CI's
 * own (GitLab `CI_REGISTRY`, GitHub `ghcr.io`), else Docker Hub. Credentials: the inputs, else the CI
 * defaults for its own registry (GitLab `CI_REGISTRY_USER` + `CI_REGISTRY_PASSWORD`/`CI_JOB_TOKEN`;
 * GitHub `GITHUB_ACTOR` + the `github-token` input for ghcr.io). `undefined`: no login (use what the
 * docker config already holds). Throws `UserError` for a password without a user name.
 */
export function resolveLogin(i: LoginInputs, env: Env, tagRegistry?: string): Credentials | undefined {
  const ci = detectCi(env);
  const ciRegistry = ci === 'gitlab' ? env.CI_REGISTRY : ci === 'github' ? 'ghcr.io' : undefined;
  const registry = i.registry ?? tagRegistry ?? ciRegistry ?? 'docker.io';
  const onGitLab = ci === 'gitlab' && !!env.CI_REGISTRY && registry === env.CI_REGISTRY;
  const onGhcr = ci === 'github' && registry === 'ghcr.io';
  const defaultUser = onGitLab
    ? (env.CI_REGISTRY_USER ?? 'gitlab-ci-token')
    : onGhcr
      ? env.GITHUB_ACTOR
      : undefined;
  if (i.password) {
    const username = i.username ?? defaultUser;
    if (!username) {
      throw new UserError(`a password is given for ${registry} but no username`, {
        field: 'input "username"',
      });
    }
    return { registry, username, password: i.password, source: 'inputs' };
  }
  if (onGitLab) {
    const password = env.CI_REGISTRY_PASSWORD ?? env.CI_JOB_TOKEN;
    if (password)
      return {
        registry,
        username: i.username ?? defaultUser!,
        password,
        source: 'GitLab CI_REGISTRY_USER / CI_JOB_TOKEN',
      };
  }
  if (onGhcr && i.githubToken && (i.username ?? defaultUser)) {
    return {
      registry,
      username: i.username ?? defaultUser!,
      password: i.githubToken,
      source: 'GITHUB_ACTOR + github-token',
    };
  }
  return undefined;
}

/** Where a registry's `/v2/` ping lives (plain HTTP for loopback registries, as docker treats them). */
export function pingUrl(registry: string): string {
  const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
  const insecure = /^(?:127\.|localhost(?::|$)|\[::1\])/.test(host);
  return `${insecure ? 'http' : 'https'}://${host}/v2/`;
}

/**
 * True when the registry answers its ping as a healthy registry does (200, or 401 with a challenge);
 * false on 5xx, 429 or a network error.
 */
export async function registryHealthy(registry: string, timeoutMs = 10_000): Promise<boolean> {
  return answers(pingUrl(registry), { timeoutMs, ok: (status) => status < 500 && status !== 429 });
}

/**
 * After docker reported a login as unauthorized: are the credentials really wrong? Docker turns a 5xx
 * on its `/v2/` ping into "401 Unauthorized" (it then sends no credentials), so shipkit checks
 * itself: the ping must answer normally and the credentials must be refused by the registry (Basic) or
 * its token service (Bearer). Only then is the failure final.
 */
export async function credentialsRefused(creds: Credentials, timeoutMs = 10_000): Promise<boolean> {
  const basic = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  const get = (url: string, auth?: string) =>
    httpRequest(url, { headers: auth ? { authorization: auth } : {}, timeoutMs });
  const unhealthy = (status: number) => status >= 500 || status === 429;
  try {
    const ping = await get(pingUrl(creds.registry));
    if (unhealthy(ping.status)) return false;
    const challenge = ping.headers.get('www-authenticate') ?? '';
    const realm = /realm="([^"]+)"/.exec(challenge)?.[1];
    const service = /service="([^"]+)"/.exec(challenge)?.[1];
    const url =
      /^bearer/i.test(challenge) && realm
        ? `${realm}${service ? `?service=${encodeURIComponent(service)}` : ''}`
        : pingUrl(creds.registry);
    const check = await get(url, basic);
    const ok = check.status >= 200 && check.status < 300;
    return !(ok || unhealthy(check.status));
  } catch {
    return false; // unreachable: a network problem, not a credentials one
  }
}

/**
 * Makes a private docker config directory for this run, seeded with the user's config.json (other
 * registries' credentials, proxies, helpers) minus what would send our login elsewhere: the global
 * `credsStore` and a `credHelpers` entry for the registry we log in to. The user's `cli-plugins` dir is
 * added to `cliPluginsExtraDirs`, since the CLI looks for plugins (buildx) under `$DOCKER_CONFIG`.
 * An unreadable config is skipped.
 */
export async function privateDockerConfig(env: Env, registry: string): Promise<string> {
  const dir = await mkdtemp(join(env.RUNNER_TEMP || tmpdir(), 'shipkit-docker-'));
  const userDir = env.DOCKER_CONFIG || join(homedir(), '.docker');
  const userConfig = join(userDir, 'config.json');
  let config: Record<string, unknown> = {};
  if (existsSync(userConfig)) {
    try {
      config = JSON.parse(await readFile(userConfig, 'utf8')) as Record<string, unknown>;
      delete config.credsStore;
      const helpers = config.credHelpers as Record<string, string> | undefined;
      if (helpers) delete helpers[registry];
    } catch {
      // Not JSON: start from an empty config rather than fail the build.
      config = {};
    }
  }
  const plugins = join(userDir, 'cli-plugins');
  if (existsSync(plugins)) {
    const extra = Array.isArray(config.cliPluginsExtraDirs) ? (config.cliPluginsExtraDirs as unknown[]) : [];
    config.cliPluginsExtraDirs = [...extra, plugins];
  }
  if (Object.keys(config).length)
    await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
  return dir;
}

/**
 * `docker login`, retried on transient registry errors, never on a refusal. Throws `UserError`
 * (wrong credentials) or `StepFailure`-like `Error` (registry unreachable) with the registry named.
 */
export async function login(
  creds: Credentials,
  platform: Platform,
  dockerEnv: Env,
  policy: RetryPolicy,
): Promise<void> {
  platform.setSecret(creds.password);
  platform.info(`Logging in to ${creds.registry} as ${creds.username} (${creds.source})`);
  try {
    await withRetry(
      `login to ${creds.registry}`,
      () =>
        docker(planLogin(creds.registry, creds.username), {
          input: creds.password,
          env: dockerEnv,
          redact: (t) => platform.redact(t),
          timeoutMs: 120_000,
        }),
      { ...policy, authIsGenuine: policy.authIsGenuine ?? (() => credentialsRefused(creds)) },
      (m) => platform.warning(m),
    );
  } catch (err: unknown) {
    if (err instanceof RetryError && err.kind === 'auth') {
      throw new UserError(
        `${platform.redact(err.message)} — check the username and password/token for ${creds.registry}`,
        {
          field: 'input "password"',
        },
      );
    }
    throw err;
  }
}

/**
 * True when the registry's credentials are in `configDir`'s config.json itself (docker's file store):
 * then removing the directory is the whole logout. False when a credential store or helper could hold
 * them (docker picks a platform default store when the config names none and holds no auths).
 */
export async function credentialsOnlyInFile(configDir: string, registry: string): Promise<boolean> {
  try {
    const config = JSON.parse(await readFile(join(configDir, 'config.json'), 'utf8')) as {
      credsStore?: string;
      credHelpers?: Record<string, string>;
      auths?: Record<string, { auth?: string }>;
    };
    const keys = registry === 'docker.io' ? [registry, 'https://index.docker.io/v1/'] : [registry];
    return (
      !config.credsStore &&
      keys.every((k) => !config.credHelpers?.[k]) &&
      keys.some((k) => !!config.auths?.[k]?.auth)
    );
  } catch {
    return false;
  }
}

/**
 * Logs out of `registry` and removes the private config dir; failures only warn (cleanup). When the
 * credentials sit in that dir's config.json alone, removing it is the logout (no `docker logout` run).
 */
export async function logout(
  registry: string,
  configDir: string | undefined,
  platform: Platform,
): Promise<void> {
  if (configDir && (await credentialsOnlyInFile(configDir, registry))) {
    await rm(configDir, { recursive: true, force: true });
    if (existsSync(configDir)) platform.warning(`logout from ${registry} failed; credentials may remain`);
    else platform.info(`Logged out of ${registry}`);
    return;
  }
  const env = configDir ? { DOCKER_CONFIG: configDir } : {};
  const r = await docker(planLogout(registry), { env, check: false, timeoutMs: 30_000 }).catch(
    () => undefined,
  );
  if (!r || r.code !== 0) platform.warning(`logout from ${registry} failed; credentials may remain`);
  else platform.info(`Logged out of ${registry}`);
  if (configDir) await rm(configDir, { recursive: true, force: true });
}
