import { UserError } from '../core/errors.js';
import { detectCi, runContext, type Env } from '../platform/context.js';
import { emptyRepo, type CommonContext, type MetaContext } from './context.js';
import { githubContext, type GitHubContextOptions } from './context-github.js';

/**
 * Reads the environment knobs of metadata-action plus SOURCE_DATE_EPOCH (reproducible builds:
 * it fixes `org.opencontainers.image.created` and `{{date}}`). Throws `UserError` on bad values.
 */
export function commonContext(env: Env, now: () => Date = () => new Date()): CommonContext {
  // Not a number is an error only where a short sha is used (computeMeta), as in metadata-action.
  const len = env.DOCKER_METADATA_SHORT_SHA_LENGTH;
  const shortShaLength = len ? Number(len) : 7;
  let date = now();
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  if (epoch) {
    if (!/^\d+$/.test(epoch))
      throw new UserError(`SOURCE_DATE_EPOCH must be a whole number of seconds, got "${epoch}"`);
    date = new Date(Number(epoch) * 1000);
  }
  const levels = (env.DOCKER_METADATA_ANNOTATIONS_LEVELS || 'manifest')
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);
  return {
    now: date,
    shortShaLength,
    annotationLevels: levels,
    prHeadSha: /true/i.test(env.DOCKER_METADATA_PR_HEAD_SHA ?? ''),
  };
}

const PR_SOURCES = new Set(['merge_request_event', 'external_pull_request_event']);

/**
 * GitLab CI variables mapped onto GitHub's event model, so one `tags:` definition gives the same
 * tags on both systems (the mapping is documented in docs/meta.md).
 */
export function gitlabContext(env: Env, common: CommonContext): MetaContext {
  const source = env.CI_PIPELINE_SOURCE ?? 'push';
  const mrIid = env.CI_MERGE_REQUEST_IID ?? env.CI_EXTERNAL_PULL_REQUEST_IID;
  const isMr = PR_SOURCES.has(source) && !!mrIid;
  const eventName = source === 'schedule' ? 'schedule' : isMr ? 'pull_request' : 'push';
  let ref = '';
  if (isMr) ref = `refs/pull/${mrIid}/merge`;
  else if (env.CI_COMMIT_TAG) ref = `refs/tags/${env.CI_COMMIT_TAG}`;
  else if (env.CI_COMMIT_BRANCH) ref = `refs/heads/${env.CI_COMMIT_BRANCH}`;
  else if (env.CI_COMMIT_REF_NAME) ref = `refs/heads/${env.CI_COMMIT_REF_NAME}`;
  let sha = env.CI_COMMIT_SHA ?? '';
  const headSha = env.CI_MERGE_REQUEST_SOURCE_BRANCH_SHA || env.CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_SHA;
  if (common.prHeadSha && isMr && headSha) sha = headSha;
  const commitDate = env.CI_COMMIT_TIMESTAMP ? new Date(env.CI_COMMIT_TIMESTAMP) : undefined;
  return {
    ci: 'gitlab',
    eventName,
    ref,
    sha,
    payloadDefaultBranch: env.CI_DEFAULT_BRANCH,
    prBaseRef: isMr
      ? (env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME ?? env.CI_EXTERNAL_PULL_REQUEST_TARGET_BRANCH_NAME)
      : undefined,
    repo: {
      name: env.CI_PROJECT_TITLE || env.CI_PROJECT_NAME || '',
      description: env.CI_PROJECT_DESCRIPTION ?? '',
      htmlUrl: env.CI_PROJECT_URL ?? '',
      license: '',
      defaultBranch: env.CI_DEFAULT_BRANCH ?? '',
    },
    commitDate: commitDate && !Number.isNaN(commitDate.getTime()) ? commitDate : common.now,
    now: common.now,
    shortShaLength: common.shortShaLength,
    annotationLevels: common.annotationLevels,
  };
}

/** Outside CI: the branch and sha the CLI was given (SHIPKIT_BRANCH / SHIPKIT_SHA), event `push`. */
function localContext(env: Env, common: CommonContext): MetaContext {
  const run = runContext(env);
  const ref = env.SHIPKIT_REF ?? (run.branch ? `refs/heads/${run.branch}` : '');
  return {
    ci: 'local',
    eventName: env.SHIPKIT_EVENT ?? 'push',
    ref,
    sha: run.sha,
    repo: { ...emptyRepo(), name: run.repository },
    commitDate: common.now,
    now: common.now,
    shortShaLength: common.shortShaLength,
    annotationLevels: common.annotationLevels,
  };
}

/**
 * Builds the meta context for the CI system we run under (GITHUB_ACTIONS / GITLAB_CI), reading the
 * GitHub event payload and repository API where relevant. An unreachable API only warns.
 */
export async function metaContextFromEnv(env: Env, opts: GitHubContextOptions = {}): Promise<MetaContext> {
  const common = commonContext(env, opts.now);
  switch (detectCi(env)) {
    case 'github':
      return githubContext(env, common, opts);
    case 'gitlab':
      return gitlabContext(env, common);
    default:
      return localContext(env, common);
  }
}
