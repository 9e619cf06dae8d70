import { Octokit } from '@octokit/rest';
import { timedFetch } from '../io/http.js';
import { apiCaller, removed, type ApiCall, type ApiRunner, type Registered, type RunnerApi } from './api.js';
import type { Scope } from './inputs.js';

export interface GitHubOptions {
  token: string;
  /** API base, e.g. `https://api.github.com` or `https://ghe.example.com/api/v3`. */
  baseUrl: string;
  scope: Extract<Scope, { kind: 'repo' | 'org' }>;
  runnerGroupId: number;
  redact: (t: string) => string;
  debug?: (message: string) => void;
  /** ms per API call (default 30 s). */
  timeoutMs?: number;
}

interface OctokitError {
  status?: number;
  message?: string;
  response?: { data?: unknown };
}

/** The API's `message` field when there is one, else the error's own message. */
function messageOf(err: unknown): { status?: number; text: string } {
  const e = err as OctokitError;
  const data = e.response?.data as { message?: unknown } | undefined;
  const text = typeof data?.message === 'string' ? data.message : (e.message ?? String(err));
  // Octokit reports a failed fetch (timeout, refused) as status 500, which no server said.
  const fetchFailed = !e.response && /aborted|timeout|fetch failed|ECONNREFUSED/i.test(text);
  return { status: typeof e.status === 'number' && !fetchFailed ? e.status : undefined, text };
}

/**
 * GitHub's self-hosted runner API through octokit: JIT registration, delete and list, at
 * repository or organisation scope. Octokit's retry/throttle plugins are not loaded: a failed
 * call fails the step with the API's message (a retry would not fix a missing scope).
 */
export class GitHubRunners implements RunnerApi {
  readonly provider = 'github' as const;
  private readonly octokit: Octokit;

  private readonly call: ApiCall;

  constructor(private readonly o: GitHubOptions) {
    this.call = apiCaller('GitHub', 'github-token', o.redact, messageOf);
    const debug = o.debug ?? (() => undefined);
    this.octokit = new Octokit({
      auth: o.token,
      baseUrl: o.baseUrl,
      userAgent: 'shipkit-runner',
      log: { debug, info: debug, warn: debug, error: debug },
      // fetch has no timeout of its own: a hung API must fail the step, not the job's 6-hour limit.
      request: { fetch: timedFetch(o.timeoutMs) },
    });
  }

  private where(): string {
    const s = this.o.scope;
    return s.kind === 'repo' ? `repos/${s.owner}/${s.repo}` : `orgs/${s.org}`;
  }

  async register(name: string, labels: readonly string[]): Promise<Registered> {
    const s = this.o.scope;
    const body = { name, runner_group_id: this.o.runnerGroupId, labels: [...labels], work_folder: '_work' };
    const what = `POST /${this.where()}/actions/runners/generate-jitconfig`;
    const r = await this.call(what, () =>
      s.kind === 'repo'
        ? this.octokit.rest.actions.generateRunnerJitconfigForRepo({ owner: s.owner, repo: s.repo, ...body })
        : this.octokit.rest.actions.generateRunnerJitconfigForOrg({ org: s.org, ...body }),
    );
    return { id: r.data.runner.id, name: r.data.runner.name, secret: r.data.encoded_jit_config };
  }

  remove(id: number): Promise<boolean> {
    const s = this.o.scope;
    return removed(() =>
      this.call(`DELETE /${this.where()}/actions/runners/${id}`, () =>
        s.kind === 'repo'
          ? this.octokit.rest.actions.deleteSelfHostedRunnerFromRepo({
              owner: s.owner,
              repo: s.repo,
              runner_id: id,
            })
          : this.octokit.rest.actions.deleteSelfHostedRunnerFromOrg({ org: s.org, runner_id: id }),
      ),
    );
  }

  async list(): Promise<ApiRunner[]> {
    const s = this.o.scope;
    const runners = await this.call(`GET /${this.where()}/actions/runners`, () =>
      s.kind === 'repo'
        ? this.octokit.paginate(this.octokit.rest.actions.listSelfHostedRunnersForRepo, {
            owner: s.owner,
            repo: s.repo,
            per_page: 100,
          })
        : this.octokit.paginate(this.octokit.rest.actions.listSelfHostedRunnersForOrg, {
            org: s.org,
            per_page: 100,
          }),
    );
    return runners.map((r) => ({ id: r.id, name: r.name, status: r.status }));
  }
}
