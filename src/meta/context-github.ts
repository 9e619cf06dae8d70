import { existsSync, readFileSync } from 'node:fs';
import type { Octokit } from '@octokit/rest';
import { UserError } from '../core/errors.js';
import { timedFetch } from '../io/http.js';
import type { Env } from '../platform/context.js';
import { type CommonContext, type MetaContext, type MetaRepo } from './context.js';

export interface GitHubContextOptions {
  /** Receives the warning when the repository API cannot be reached. */
  warn?: (message: string) => void;
  debug?: (message: string) => void;
  /** Time allowed for each API request (default 5 s). */
  apiTimeoutMs?: number;
  /** Clock, for tests (SOURCE_DATE_EPOCH still wins). */
  now?: () => Date;
  /** Ask the API for the commit date when the payload lacks it (only `{{commit_date}}` needs it). */
  needCommitDate?: boolean;
  /** Token for the repository API (the `github-token` input). */
  token?: string;
}

/** The parts of a GitHub event payload metadata-action reads. */
export interface Payload {
  number?: number;
  base_ref?: string | null;
  repository?: {
    name?: string;
    description?: string | null;
    html_url?: string;
    default_branch?: string;
    license?: { spdx_id?: string | null } | null;
  };
  pull_request?: { head?: { sha?: string }; base?: { ref?: string } };
  commits?: { id?: string; timestamp?: string }[];
  head_commit?: { id?: string; timestamp?: string } | null;
}

function readPayload(env: Env, debug: (m: string) => void): Payload {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return {};
  if (!existsSync(path)) {
    debug(`GITHUB_EVENT_PATH ${path} does not exist`);
    return {};
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Payload;
  } catch (err: unknown) {
    throw new UserError(`cannot read the event payload: ${(err as Error).message}`, { file: path });
  }
}

function repoFrom(data: Payload['repository']): MetaRepo {
  return {
    name: data?.name ?? '',
    description: data?.description ?? '',
    htmlUrl: data?.html_url ?? '',
    license: data?.license?.spdx_id ?? '',
    defaultBranch: data?.default_branch ?? '',
  };
}

/** A short reason for a failed API call: octokit leaves the message empty for some HTTP errors. */
function apiError(err: unknown): string {
  const e = err as { message?: string; status?: number; cause?: { code?: string } };
  const http = e.status && e.status !== 500 ? `HTTP ${e.status}` : '';
  return [http, e.message, e.cause?.code].filter(Boolean).join(': ') || 'unknown error';
}

/**
 * A client for GITHUB_API_URL (default api.github.com) with the job's token, no retries. Octokit is
 * loaded here, on first use, so runs that never call the API do not pay for loading it.
 */
export async function githubClient(env: Env, token?: string): Promise<Octokit> {
  const { Octokit } = await import('@octokit/rest');
  const silent = () => undefined;
  return new Octokit({
    baseUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    auth: token || undefined,
    userAgent: 'shipkit-meta',
    log: { debug: silent, info: silent, warn: silent, error: silent },
    // Each call also passes its own, shorter limit (apiTimeoutMs).
    request: { fetch: timedFetch() },
  });
}

/** Event name, ref and sha as metadata-action sees them. */
function eventFacts(env: Env, payload: Payload, common: CommonContext) {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  let ref = env.GITHUB_REF ?? '';
  let sha = env.GITHUB_SHA ?? '';
  // GitHub gives the base branch's ref for pull_request_target; metadata-action uses the PR's.
  if (/pull_request_target/.test(eventName)) ref = `refs/pull/${payload.number}/merge`;
  const headSha = payload.pull_request?.head?.sha;
  if (common.prHeadSha && /pull_request/.test(eventName) && headSha) sha = headSha;
  return { eventName, ref, sha };
}

/**
 * The pure part of the GitHub context: from the environment, the event payload and the repository
 * (as the API returned it; undefined when it could not be read, then the payload's `repository`
 * and GITHUB_REPOSITORY stand in).
 */
export function githubEventContext(
  env: Env,
  payload: Payload,
  common: CommonContext,
  apiRepo?: MetaRepo,
  commitDate?: Date,
): MetaContext {
  const { eventName, ref, sha } = eventFacts(env, payload, common);
  const repo = apiRepo ? { ...apiRepo } : repoFrom(payload.repository);
  const [owner, name] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!repo.name && name) repo.name = name;
  if (!repo.htmlUrl && owner && name)
    repo.htmlUrl = `${env.GITHUB_SERVER_URL || 'https://github.com'}/${owner}/${name}`;
  return {
    ci: 'github',
    eventName,
    ref,
    sha,
    payloadDefaultBranch: payload.repository?.default_branch,
    baseRef: payload.base_ref ?? undefined,
    prBaseRef: payload.pull_request?.base?.ref,
    repo,
    commitDate: commitDate ?? payloadCommitDate(payload, sha) ?? common.now,
    now: common.now,
    shortShaLength: common.shortShaLength,
    annotationLevels: common.annotationLevels,
  };
}

function payloadCommitDate(payload: Payload, sha: string): Date | undefined {
  const stamp =
    payload.commits?.find((c) => c.id === sha)?.timestamp ??
    (payload.head_commit?.id === sha ? payload.head_commit.timestamp : undefined);
  return stamp ? new Date(stamp) : undefined;
}

/**
 * The GitHub context as metadata-action builds it: event name, ref (rewritten to the PR merge ref
 * for `pull_request_target`), sha (the PR head with DOCKER_METADATA_PR_HEAD_SHA), the payload's
 * default branch / base refs / commit timestamps, and the repository from the API at
 * GITHUB_API_URL. When the API cannot be reached, warns (never fails) and falls back to the
 * payload's `repository` and GITHUB_REPOSITORY.
 */
export async function githubContext(
  env: Env,
  common: CommonContext,
  opts: GitHubContextOptions = {},
): Promise<MetaContext> {
  const warn = opts.warn ?? (() => undefined);
  const debug = opts.debug ?? (() => undefined);
  const payload = readPayload(env, debug);
  const { sha } = eventFacts(env, payload, common);
  const [owner, name] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const apiUrl = env.GITHUB_API_URL || 'https://api.github.com';
  if (!owner || !name) {
    warn('GITHUB_REPOSITORY is not set: repository labels come from the event payload only');
    return githubEventContext(env, payload, common);
  }
  const timeoutMs = opts.apiTimeoutMs ?? 5000;
  const request = () => ({ signal: AbortSignal.timeout(timeoutMs) });
  const client = await githubClient(env, opts.token);
  let apiRepo: MetaRepo;
  try {
    const { data } = await client.rest.repos.get({ owner, repo: name, request: request() });
    apiRepo = repoFrom(data);
  } catch (err: unknown) {
    warn(
      `Cannot read repository ${owner}/${name} from ${apiUrl} (${apiError(err)}); ` +
        'labels use the event payload instead',
    );
    return githubEventContext(env, payload, common);
  }
  let date = payloadCommitDate(payload, sha);
  if (!date && sha && opts.needCommitDate !== false) {
    try {
      const { data } = await client.rest.repos.getCommit({ owner, repo: name, ref: sha, request: request() });
      const stamp = data.commit.committer?.date;
      if (stamp) date = new Date(stamp);
    } catch (err: unknown) {
      debug(`Failed to get commit date from GitHub API: ${(err as Error).message}`);
    }
  }
  return githubEventContext(env, payload, common, apiRepo, date);
}
