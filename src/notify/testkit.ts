// Test helpers for the notify step (imported by tests only, never by the step).
import { InputReader, inputsFrom } from '../core/inputs.js';
import type { Env } from '../platform/context.js';
import { MemoryPlatform } from '../platform/memory.js';
import { getInputs, type NotifyInputs } from './inputs.js';

export const TOKEN = 'xoxb-111-222-s3cr3tT0kenValue';

/** A GitHub push run, as the runner's environment describes it. */
export const GITHUB_ENV: Env = {
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_ACTOR: 'octocat',
  GITHUB_RUN_ID: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'deploy',
  GITHUB_SERVER_URL: 'https://github.com',
};

/** The same commit in a GitLab pipeline. */
export const GITLAB_ENV: Env = {
  GITLAB_CI: 'true',
  CI_PROJECT_PATH: 'acme/shop',
  CI_COMMIT_SHA: '0123456789abcdef0123456789abcdef01234567',
  CI_COMMIT_BRANCH: 'main',
  CI_COMMIT_TITLE: 'Fix checkout "totals" <b>& rounding</b>',
  GITLAB_USER_LOGIN: 'octocat',
  CI_PIPELINE_ID: '900',
  CI_JOB_ID: '901',
  CI_JOB_NAME: 'deploy',
  CI_PIPELINE_URL: 'https://gitlab.example.com/acme/shop/-/pipelines/900',
  CI_JOB_URL: 'https://gitlab.example.com/acme/shop/-/jobs/901',
  CI_SERVER_URL: 'https://gitlab.example.com',
};

/** The outputs of a run that posted or updated the message `ts` in #deploys (the Slack receiver's C0DEPLOYS01). */
export function messageOutputs(ts: string): Record<string, string> {
  return { ok: 'true', ts, thread_ts: ts, channel_id: 'C0DEPLOYS01' };
}

/** Reads inputs the way the step does, from a plain object of action.yml names. */
export function readInputs(
  values: Record<string, string | number | boolean | undefined>,
  env: Env = {},
): NotifyInputs {
  return getInputs(new InputReader(inputsFrom(values)), env);
}

/**
 * A platform that records every log line WITHOUT the secret filter, so a test proves the step never
 * hands a secret to the log in the first place (the filter is only the second line of defence).
 */
export class RawPlatform extends MemoryPlatform {
  override redact(text: string): string {
    return text;
  }
}
