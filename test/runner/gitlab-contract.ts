import { validate, type Schema } from '../helpers/json-schema.js';
import { listen, type LocalServer, type Reply, type Seen } from './http-server.js';

/**
 * GitLab's runner endpoints as documented (docs.gitlab.com/api/users/#create-a-runner-linked-to-a-user,
 * /api/runners/), encoded as schemas: every request is checked for method, path, auth header,
 * documented parameters and types (unknown fields are violations), and answered with the documented
 * response fields.
 */
const RUNNER_TYPE = {
  type: 'string',
  enum: ['instance_type', 'group_type', 'project_type'],
} satisfies Schema;
const STATUS = { type: 'string', enum: ['online', 'offline', 'stale', 'never_contacted'] } satisfies Schema;

/** `POST /user/runners` attributes. */
export const CreateUserRunner: Schema = {
  type: 'object',
  required: ['runner_type'],
  additionalProperties: false,
  properties: {
    runner_type: RUNNER_TYPE,
    group_id: { type: 'integer' },
    project_id: { type: 'integer' },
    description: { type: 'string' },
    paused: { type: 'boolean' },
    locked: { type: 'boolean' },
    run_untagged: { type: 'boolean' },
    tag_list: { type: 'array', items: { type: 'string' } },
    access_level: { type: 'string', enum: ['not_protected', 'ref_protected'] },
    maximum_timeout: { type: 'integer' },
    maintenance_note: { type: 'string', maxLength: 1024 },
  },
};

/** `201` of `POST /user/runners`. */
export const CreatedRunner: Schema = {
  type: 'object',
  required: ['id', 'token', 'token_expires_at'],
  properties: {
    id: { type: 'integer' },
    token: { type: 'string' },
    token_expires_at: { type: 'string', nullable: true },
  },
};

/** Query of the runner lists (`/projects/:id/runners`, `/groups/:id/runners`, `/runners/all`). */
const ListQuery: Record<string, Schema> = {
  scope: { type: 'string' },
  type: RUNNER_TYPE,
  status: STATUS,
  paused: { type: 'boolean' },
  tag_list: { type: 'string' },
  version_prefix: { type: 'string' },
  page: { type: 'integer', minimum: 1 },
  per_page: { type: 'integer', minimum: 1, maximum: 100 },
};

/** One item of a runner list. */
export const ListedRunner: Schema = {
  type: 'object',
  required: [
    'id',
    'description',
    'ip_address',
    'active',
    'paused',
    'is_shared',
    'runner_type',
    'name',
    'online',
    'status',
  ],
  properties: {
    id: { type: 'integer' },
    description: { type: 'string', nullable: true },
    ip_address: { type: 'string', nullable: true },
    active: { type: 'boolean' },
    paused: { type: 'boolean' },
    is_shared: { type: 'boolean' },
    runner_type: RUNNER_TYPE,
    name: { type: 'string', nullable: true },
    online: { type: 'boolean', nullable: true },
    status: STATUS,
  },
};

export interface GlRunner {
  id: number;
  description: string;
  runner_type: 'instance_type' | 'group_type' | 'project_type';
  owner: string;
  tag_list: string[];
  run_untagged: boolean;
  locked: boolean;
  status: 'online' | 'offline' | 'stale' | 'never_contacted';
  token: string;
}

export interface GitLabContract extends LocalServer {
  runners: Map<number, GlRunner>;
  /** Tokens without the `create_runner`/`manage_runner` scopes: GitLab's 403 insufficient_scope. */
  forbiddenTokens: Set<string>;
}

function coerce(v: string, s: Schema): unknown {
  if (s.type === 'integer') return /^\d+$/.test(v) ? Number(v) : v;
  if (s.type === 'boolean') return v === 'true' ? true : v === 'false' ? false : v;
  return v;
}

/** Starts the GitLab contract server; the API lives under `<url>/api/v4`. */
export async function startGitLabContract(port = 0): Promise<GitLabContract> {
  const runners = new Map<number, GlRunner>();
  const forbiddenTokens = new Set<string>();
  let nextId = 700;
  const server = await listen((req, url, json) => handle(req, url, json), port);
  const violations = server.violations;

  function handle(req: Seen, url: URL, json: unknown): Reply {
    const path = url.pathname.replace(/^\/api\/v4/, '');
    if (!url.pathname.startsWith('/api/v4/'))
      violations.push(`${req.method} ${url.pathname}: not under /api/v4`);
    const token =
      String(req.headers['private-token'] ?? '') ||
      /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const route = `${req.method} ${path}`;
    const known =
      /^(POST \/user\/runners|DELETE \/runners\/\d+|GET \/(projects|groups)\/[^/]+\/runners|GET \/runners\/all)$/;
    if (!known.test(route)) {
      violations.push(`${route}: not a documented runner endpoint we expect`);
      return { status: 404, body: { error: '404 Not Found' } };
    }
    if (!token) return { status: 401, body: { message: '401 Unauthorized' } };
    if (forbiddenTokens.has(token)) {
      return {
        status: 403,
        body: {
          error: 'insufficient_scope',
          error_description: 'The request requires higher privileges than provided by the access token.',
          scope: 'create_runner manage_runner',
        },
      };
    }
    if (req.method === 'POST') return create(json as Record<string, unknown>);
    if (req.method === 'DELETE') {
      // gitbeaker sends `{}` (its empty options) as a JSON body on DELETE; Grape ignores it.
      if (req.body && req.body !== '{}') violations.push(`${route}: takes no body, got ${req.body}`);
      const id = Number(path.split('/')[2]);
      return runners.delete(id)
        ? { status: 204 }
        : { status: 404, body: { message: '404 Runner Not Found' } };
    }
    return list(path, url);
  }

  function create(body: Record<string, unknown>): Reply {
    const errors = validate(CreateUserRunner, body ?? null, 'body');
    if (body?.runner_type === 'project_type' && body.project_id === undefined)
      errors.push('body: project_id is required for project_type');
    if (body?.runner_type === 'group_type' && body.group_id === undefined)
      errors.push('body: group_id is required for group_type');
    if (errors.length) {
      violations.push(...errors.map((e) => `POST /user/runners: ${e}`));
      return { status: 400, body: { error: errors.join('; ') } };
    }
    const type = body.runner_type as GlRunner['runner_type'];
    const owner =
      type === 'project_type'
        ? `projects/${String(body.project_id)}`
        : type === 'group_type'
          ? `groups/${String(body.group_id)}`
          : 'instance';
    const r: GlRunner = {
      id: nextId++,
      description: typeof body.description === 'string' ? body.description : '',
      runner_type: type,
      owner,
      tag_list: (body.tag_list as string[] | undefined) ?? [],
      run_untagged: body.run_untagged !== false,
      locked: body.locked === true,
      status: 'never_contacted',
      token: `glrt-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`,
    };
    runners.set(r.id, r);
    const answer = { id: r.id, token: r.token, token_expires_at: null };
    for (const e of validate(CreatedRunner, answer)) violations.push(`helper bug: ${e}`);
    return { status: 201, body: answer };
  }

  function list(path: string, url: URL): Reply {
    const q: Record<string, unknown> = {};
    for (const [k, v] of url.searchParams) {
      const s = ListQuery[k];
      if (!s) violations.push(`GET ${path}: undocumented query parameter "${k}"`);
      else {
        q[k] = coerce(v, s);
        for (const e of validate(s, q[k], k)) violations.push(`GET ${path}: ${e}`);
      }
    }
    const owner = path === '/runners/all' ? undefined : path.replace(/\/runners$/, '').slice(1);
    const mine = [...runners.values()].filter(
      (r) =>
        (!owner || r.owner === owner) &&
        (!q.type || r.runner_type === q.type) &&
        (!q.status || r.status === q.status),
    );
    const perPage = Number(q.per_page ?? 20);
    const page = Number(q.page ?? 1);
    const pages = Math.max(1, Math.ceil(mine.length / perPage));
    const items = mine.slice((page - 1) * perPage, page * perPage).map((r) => ({
      id: r.id,
      description: r.description,
      ip_address: null,
      active: true,
      paused: false,
      is_shared: r.runner_type === 'instance_type',
      runner_type: r.runner_type,
      name: null,
      online: r.status === 'online',
      status: r.status,
    }));
    items.forEach((it) => validate(ListedRunner, it).forEach((e) => violations.push(`helper bug: ${e}`)));
    const headers: Record<string, string> = {
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-total': String(mine.length),
      'x-total-pages': String(pages),
      'x-next-page': page < pages ? String(page + 1) : '',
    };
    const qs = new URLSearchParams(url.searchParams);
    qs.set('page', String(page + 1));
    if (page < pages) headers.link = `<${server.url}/api/v4${path}?${qs.toString()}>; rel="next"`;
    return { status: 200, body: items, headers };
  }

  return { ...server, runners, forbiddenTokens };
}
