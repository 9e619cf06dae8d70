import { Gitlab } from '@gitbeaker/rest';
import { apiCaller, removed, type ApiCall, type ApiRunner, type Registered, type RunnerApi } from './api.js';
import type { Scope } from './inputs.js';

export interface GitLabOptions {
  token: string;
  /** Instance URL, e.g. `https://gitlab.com` (the `/api/v4` part is added). */
  url: string;
  scope: Extract<Scope, { kind: 'project' | 'group' | 'instance' }>;
  redact: (t: string) => string;
  /** ms per API call (gitbeaker's `queryTimeout`). */
  timeoutMs?: number;
}

/** gitbeaker puts the API's `message`/`error` into the error message and the response in `cause`. */
function messageOf(err: unknown): { status?: number; text: string } {
  const e = err as { message?: string; cause?: { response?: { status?: number } } };
  return { status: e.cause?.response?.status, text: e.message ?? String(err) };
}

/**
 * GitLab's runner API through @gitbeaker/rest: `POST /user/runners` (the runner-creation flow that
 * replaced registration tokens; tags and `run_untagged` are fixed at creation), `DELETE
 * /runners/:id`, and the scope's runner list (`GET /projects/:id/runners`, `/groups/:id/runners`,
 * or `/runners/all` for instance runners, which needs an admin token), all pages via `Link`.
 */
export class GitLabRunners implements RunnerApi {
  readonly provider = 'gitlab' as const;
  private readonly api: InstanceType<typeof Gitlab>;

  private readonly call: ApiCall;

  constructor(private readonly o: GitLabOptions) {
    this.call = apiCaller('GitLab', 'gitlab-token', o.redact, messageOf);
    this.api = new Gitlab({ host: o.url, token: o.token, queryTimeout: o.timeoutMs ?? 30_000 });
  }

  async register(name: string, labels: readonly string[]): Promise<Registered> {
    const s = this.o.scope;
    const type = s.kind === 'project' ? 'project_type' : s.kind === 'group' ? 'group_type' : 'instance_type';
    const r = await this.call('POST /user/runners', () =>
      this.api.Users.createCIRunner(type, {
        ...(s.kind === 'project' ? { projectId: Number(s.id) } : {}),
        ...(s.kind === 'group' ? { groupId: Number(s.id) } : {}),
        description: name,
        tagList: [...labels],
        runUntagged: false,
        locked: true,
        maintenanceNote: 'ephemeral runner started by shipkit; removed by `shipkit runner down` or `gc`',
      }),
    );
    return { id: r.id, name, secret: r.token };
  }

  remove(id: number): Promise<boolean> {
    return removed(() => this.call(`DELETE /runners/${id}`, () => this.api.Runners.remove({ runnerId: id })));
  }

  async list(): Promise<ApiRunner[]> {
    const s = this.o.scope;
    const path =
      s.kind === 'project'
        ? `/projects/${s.id}/runners`
        : s.kind === 'group'
          ? `/groups/${s.id}/runners`
          : '/runners/all';
    const type = s.kind === 'project' ? 'project_type' : s.kind === 'group' ? 'group_type' : 'instance_type';
    const opts = { type, perPage: 100 } as const;
    const runners = await this.call(`GET ${path}`, () =>
      s.kind === 'project'
        ? this.api.Runners.all({ projectId: s.id, ...opts })
        : s.kind === 'group'
          ? this.api.Runners.all({ groupId: s.id, ...opts })
          : this.api.Runners.all(opts),
    );
    return runners.map((r) => ({ id: r.id, name: r.description ?? '', status: String(r.status) }));
  }
}
