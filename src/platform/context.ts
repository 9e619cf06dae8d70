import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

/**
 * The only module that reads the process environment. Everything else asks here, so tests can pass
 * an explicit environment and nothing reads `process.env` behind a step's back.
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** The live process environment (read lazily, never at import time). */
export function processEnv(): Env {
  return process.env;
}

export const GITHUB_API = 'https://api.github.com';

export type CiKind = 'github' | 'gitlab' | 'local';

/** Which CI system we run under: `GITHUB_ACTIONS=true`, `GITLAB_CI=true`, else local. */
export function detectCi(env: Env = processEnv()): CiKind {
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  if (env.GITLAB_CI === 'true') return 'gitlab';
  return 'local';
}

/** Platform-neutral facts about the current run, mapped from GitHub's or GitLab's variables. */
export interface RunContext {
  ci: CiKind;
  /** `owner/name` on GitHub, `group/project` on GitLab, the folder name locally. */
  repository: string;
  sha: string;
  /** First line of the commit message (GitHub: event payload `head_commit.message`; GitLab: `CI_COMMIT_TITLE`). */
  commitTitle?: string;
  /** Branch name, when the run is for a branch. */
  branch?: string;
  /** Tag name, when the run is for a tag. */
  tag?: string;
  /** Pull/merge request number. */
  pullRequest?: string;
  defaultBranch?: string;
  /** Who triggered the run. */
  actor?: string;
  /** Unique id of the run (GitHub run id; GitLab pipeline id). */
  runId: string;
  /** Attempt on GitHub, job id on GitLab. */
  attempt: string;
  jobName?: string;
  /** Link to the run / pipeline and to the job, where known. */
  runUrl?: string;
  jobUrl?: string;
  serverUrl?: string;
  /** GitHub's REST API (`GITHUB_API_URL`, GitHub Enterprise sets its own); https://api.github.com elsewhere. */
  apiUrl?: string;
  workspace: string;
  /** Where a step may write temporary files: `RUNNER_TEMP` (GitHub's), else the OS temp dir. */
  tempDir?: string;
}

/** Reads the run context from the environment of either CI system, or the local machine. */
export function runContext(env: Env = processEnv(), cwd = process.cwd()): RunContext {
  const ci = detectCi(env);
  if (ci === 'github') {
    const ref = env.GITHUB_REF ?? '';
    const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const repository = env.GITHUB_REPOSITORY ?? '';
    const runId = env.GITHUB_RUN_ID ?? '0';
    return {
      ci,
      repository,
      sha: env.GITHUB_SHA ?? '',
      commitTitle: githubCommitTitle(env.GITHUB_EVENT_PATH),
      branch: ref.startsWith('refs/heads/') ? ref.slice(11) : env.GITHUB_HEAD_REF || undefined,
      tag: ref.startsWith('refs/tags/') ? ref.slice(10) : undefined,
      pullRequest: /^refs\/pull\/(\d+)\//.exec(ref)?.[1],
      actor: env.GITHUB_ACTOR,
      runId,
      attempt: env.GITHUB_RUN_ATTEMPT ?? '1',
      jobName: env.GITHUB_JOB,
      runUrl: repository ? `${serverUrl}/${repository}/actions/runs/${runId}` : undefined,
      serverUrl,
      apiUrl: env.GITHUB_API_URL ?? GITHUB_API,
      workspace: env.GITHUB_WORKSPACE ?? cwd,
      tempDir: env.RUNNER_TEMP || tmpdir(),
    };
  }
  if (ci === 'gitlab') {
    return {
      ci,
      repository: env.CI_PROJECT_PATH ?? '',
      sha: env.CI_COMMIT_SHA ?? '',
      commitTitle: env.CI_COMMIT_TITLE || firstLine(env.CI_COMMIT_MESSAGE),
      branch: env.CI_COMMIT_BRANCH ?? env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME,
      tag: env.CI_COMMIT_TAG,
      pullRequest: env.CI_MERGE_REQUEST_IID,
      defaultBranch: env.CI_DEFAULT_BRANCH,
      actor: env.GITLAB_USER_LOGIN,
      runId: env.CI_PIPELINE_ID ?? '0',
      attempt: env.CI_JOB_ID ?? '0',
      jobName: env.CI_JOB_NAME,
      runUrl: env.CI_PIPELINE_URL,
      jobUrl: env.CI_JOB_URL,
      serverUrl: env.CI_SERVER_URL,
      apiUrl: env.GITHUB_API_URL ?? GITHUB_API,
      workspace: env.CI_PROJECT_DIR ?? cwd,
      tempDir: env.RUNNER_TEMP || tmpdir(),
    };
  }
  return {
    ci,
    repository: cwd.split('/').filter(Boolean).pop() ?? 'local',
    sha: env.SHIPKIT_SHA ?? '',
    commitTitle: firstLine(env.SHIPKIT_COMMIT_TITLE),
    branch: env.SHIPKIT_BRANCH,
    actor: env.USER,
    runId: env.SHIPKIT_RUN_ID ?? `${Date.now().toString(36)}${process.pid.toString(36)}`,
    attempt: '1',
    apiUrl: env.GITHUB_API_URL ?? GITHUB_API,
    workspace: cwd,
    tempDir: env.RUNNER_TEMP || tmpdir(),
  };
}

function firstLine(text: string | undefined): string | undefined {
  const line = text?.split(/\r?\n/)[0].trim();
  return line ? line : undefined;
}

/**
 * The commit title from the event payload GitHub writes to `GITHUB_EVENT_PATH`: `head_commit.message`
 * on pushes, else the pull request's title. `undefined` when the file is missing or unreadable.
 */
function githubCommitTitle(eventPath: string | undefined): string | undefined {
  if (!eventPath) return undefined;
  try {
    const event = JSON.parse(readFileSync(eventPath, 'utf8')) as {
      head_commit?: { message?: string } | null;
      pull_request?: { title?: string };
    };
    return firstLine(event.head_commit?.message) ?? firstLine(event.pull_request?.title);
  } catch {
    return undefined;
  }
}
