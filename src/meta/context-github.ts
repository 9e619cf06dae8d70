import { existsSync, readFileSync } from 'node:fs';
import { Octokit } from '@octokit/rest';
import { UserError } from '../core/errors.js';
import type { Env } from '../platform/context.js';
import { emptyRepo, type MetaContext, type MetaRepo } from './context.js';
import type { CommonContext } from './context-env.js';

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
interface Payload {
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

/** A client for GITHUB_API_URL (default api.github.com) with the job's token, no retries. */
export function githubClient(env: Env, token?: string): Octokit {
  const silent = () => undefined;
  return new Octokit({
    baseUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    auth: token || undefined,
    userAgent: 'shipkit-meta',
    log: { debug: silent, info: silent, warn: silent, error: silent },
  });
}

/** Commit date: the push payload's commit, else the API's committer date, else undefined. */
async function commitDate(
  payload: Payload,
  sha: string,
  api: (() => Promise<string | undefined>) | undefined,
  debug: (m: string) => void,
): Promise<Date | undefined> {
  const fromPayload =
    payload.commits?.find((c) => c.id === sha)?.timestamp ??
    (payload.head_commit?.id === sha ? payload.head_commit.timestamp : undefined);
  if (fromPayload) return new Date(fromPayload);
  if (!api) return undefined;
  try {
    const date = await api();
    return date ? new Date(date) : undefined;
  } catch (err: unknown) {
    debug(`Failed to get commit date from GitHub API: ${(err as Error).message}`);
    return undefined;
  }
}

/**
 * The GitHub context as metadata-action builds it: event name, ref (rewritten to the PR merge ref
 * for `pull_request_target`), sha (the PR head with DOCKER_METADATA_PR_HEAD_SHA), the payload's
 * default branch / base refs / commit timestamps, and the repository from the API. When the API
 * cannot be reached, warns and falls back to the payload's `repository` and GITHUB_REPOSITORY.
 */
export async function githubContext(
  env: Env,
  common: CommonContext,
  opts: GitHubContextOptions = {},
): Promise<MetaContext> {
  const warn = opts.warn ?? (() => undefined);
  const debug = opts.debug ?? (() => undefined);
  const payload = readPayload(env, debug);
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  let ref = env.GITHUB_REF ?? '';
  let sha = env.GITHUB_SHA ?? '';
  // GitHub gives the base branch's ref for pull_request_target; metadata-action uses the PR's.
  if (/pull_request_target/.test(eventName)) ref = `refs/pull/${payload.number}/merge`;
  const headSha = payload.pull_request?.head?.sha;
  if (common.prHeadSha && /pull_request/.test(eventName) && headSha) sha = headSha;

  const [owner, name] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const timeoutMs = opts.apiTimeoutMs ?? 5000;
  const client = owner && name ? githubClient(env, opts.token) : undefined;
  let repo = repoFrom(payload.repository);
  let apiUp = false;
  if (client) {
    try {
      const { data } = await client.rest.repos.get({
        owner,
        repo: name,
        request: { signal: AbortSignal.timeout(timeoutMs) },
      });
      repo = repoFrom(data);
      apiUp = true;
    } catch (err: unknown) {
      warn(
        `Cannot read repository ${owner}/${name} from ${env.GITHUB_API_URL || 'https://api.github.com'} ` +
          `(${(err as Error).message}); labels use the event payload instead`,
      );
    }
  } else {
    warn('GITHUB_REPOSITORY is not set: repository labels stay empty');
  }
  // Degraded: what the run itself tells us about the repository.
  if (!repo.name && name) repo.name = name;
  if (!repo.htmlUrl && owner && name)
    repo.htmlUrl = `${env.GITHUB_SERVER_URL || 'https://github.com'}/${owner}/${name}`;

  const commitApi =
    client && apiUp && sha && opts.needCommitDate !== false
      ? async () => {
          const { data } = await client.rest.repos.getCommit({
            owner,
            repo: name,
            ref: sha,
            request: { signal: AbortSignal.timeout(timeoutMs) },
          });
          return data.commit.committer?.date;
        }
      : undefined;
  return {
    ci: 'github',
    eventName,
    ref,
    sha,
    payloadDefaultBranch: payload.repository?.default_branch,
    baseRef: payload.base_ref ?? undefined,
    prBaseRef: payload.pull_request?.base?.ref,
    repo: { ...emptyRepo(), ...repo },
    commitDate: (await commitDate(payload, sha, commitApi, debug)) ?? common.now,
    now: common.now,
    shortShaLength: common.shortShaLength,
    annotationLevels: common.annotationLevels,
  };
}
