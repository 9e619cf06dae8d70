/**
 * GitHub Deployments for each blue-green step (through octokit): one Deployment per deploy, promote
 * or rollback, with `in_progress` → `success`/`failure` statuses, the replaced one set `inactive`,
 * and the `environment_url`. Without a token and a repository nothing is recorded.
 *
 * One Deployment per step, never two: a GitHub job that declares `environment:` already has the
 * Deployment GitHub made for it (the one its reviewers approved and the run graph links). When the
 * step's environment is that one, shipkit records its statuses on the job's Deployment instead of
 * creating its own beside it.
 */
// Loaded when a recorder first calls GitHub: most commands run without a token, and loading
// octokit costs every command tens of ms before it can switch (issue 17).
import type { Octokit } from '@octokit/rest';
import { timedFetch } from '../io/http.js';

export interface DeploymentSettings {
  token: string;
  /** `owner/name`. */
  repository: string;
  /** GitHub API base, from `GITHUB_API_URL` (GitHub Enterprise Server and tests). */
  apiUrl: string;
  ref: string;
  environment: string;
  environmentUrl: string;
  logUrl?: string;
  /** Running in a GitHub Actions job: look for the Deployment of the job's `environment:` first. */
  inJob?: boolean;
}

/** Statuses of a Deployment still in progress (GitHub's own job Deployment, while the job runs). */
const OPEN = new Set(['queued', 'pending', 'in_progress', 'waiting']);

export interface DeploymentRecorder {
  /** Creates a Deployment and marks it `in_progress`; returns its id. */
  start(
    task: string,
    environment: string,
    description: string,
    payload: Record<string, string>,
  ): Promise<number>;
  finish(
    id: number,
    state: 'success' | 'failure',
    description: string,
    environmentUrl?: string,
  ): Promise<void>;
  inactive(id: number, description: string): Promise<void>;
}

const short = (text: string) => (text.length > 140 ? text.slice(0, 137) + '...' : text);

/** A recorder that talks to GitHub, or `undefined` when no token/repository is given. */
export function githubDeployments(cfg: DeploymentSettings | undefined): DeploymentRecorder | undefined {
  if (!cfg?.token || !cfg.repository.includes('/')) return undefined;
  const [owner, repo] = cfg.repository.split('/', 2);
  let client: Promise<Octokit> | undefined;
  const kit = () =>
    (client ??= import('@octokit/rest').then(
      ({ Octokit }) =>
        new Octokit({
          auth: cfg.token,
          baseUrl: cfg.apiUrl,
          log: undefined,
          // A hung API must not hold the deploy: the shared client's time limit (30 s).
          request: { retries: 0, fetch: timedFetch() },
        }),
    ));
  const status = async (
    id: number,
    state: 'in_progress' | 'success' | 'failure' | 'inactive',
    description: string,
    environmentUrl?: string,
  ) => {
    const octokit = await kit();
    await octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: id,
      state,
      description: short(description),
      ...(environmentUrl ? { environment_url: environmentUrl } : {}),
      ...(cfg.logUrl ? { log_url: cfg.logUrl } : {}),
      // shipkit marks the replaced deployment inactive itself, and only that one.
      auto_inactive: false,
    });
  };
  /** The Deployment GitHub made for this job's `environment:`: by Actions, at this commit, still open. */
  const jobDeployment = async (environment: string): Promise<number | undefined> => {
    const octokit = await kit();
    const { data } = await octokit.rest.repos.listDeployments({
      owner,
      repo,
      sha: cfg.ref,
      environment,
      per_page: 10,
    });
    for (const d of data) {
      if (d.creator?.login !== 'github-actions[bot]') continue;
      const statuses = await octokit.rest.repos.listDeploymentStatuses({
        owner,
        repo,
        deployment_id: d.id,
        per_page: 1,
      });
      if (OPEN.has(statuses.data[0]?.state ?? 'pending')) return d.id;
    }
    return undefined;
  };
  return {
    async start(task, environment, description, payload) {
      const mine =
        cfg.inJob && environment === cfg.environment ? await jobDeployment(environment) : undefined;
      if (mine !== undefined) return mine;
      const res = await (
        await kit()
      ).rest.repos.createDeployment({
        owner,
        repo,
        ref: cfg.ref,
        task,
        environment,
        description: short(description),
        payload,
        auto_merge: false,
        required_contexts: [],
        transient_environment: environment !== cfg.environment,
        production_environment: environment === cfg.environment && /prod/i.test(environment),
      });
      if (res.status !== 201 || !('id' in res.data)) {
        throw new Error(`GitHub did not create the deployment: ${JSON.stringify(res.data)}`);
      }
      await status(res.data.id, 'in_progress', description);
      return res.data.id;
    },
    finish: (id, state, description, url) => status(id, state, description, url ?? cfg.environmentUrl),
    inactive: (id, description) => status(id, 'inactive', description),
  };
}
