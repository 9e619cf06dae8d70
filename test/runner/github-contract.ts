import { validate, type Schema } from '../helpers/json-schema.js';
import { findOperation, githubOpenApi, templateMatcher, type Operation } from '../helpers/github-openapi.js';
import { listen, type LocalServer, type Reply, type Seen } from './http-server.js';

/**
 * A stand-in for api.github.com's self-hosted runner endpoints that checks every request against
 * GitHub's own OpenAPI document (@octokit/openapi, `api.github.com.json`): the operation must exist
 * for the method and path, path/query parameters must have the documented types, the JSON body must
 * match the documented request schema, and an `Authorization` header must be sent. Answers are
 * built from in-memory state and are themselves checked against the documented response schema.
 */
const PATHS = [
  '/repos/{owner}/{repo}/actions/runners/generate-jitconfig',
  '/orgs/{org}/actions/runners/generate-jitconfig',
  '/repos/{owner}/{repo}/actions/runners',
  '/orgs/{org}/actions/runners',
  '/repos/{owner}/{repo}/actions/runners/{runner_id}',
  '/orgs/{org}/actions/runners/{runner_id}',
];

interface Route {
  method: string;
  template: string;
  regex: RegExp;
  names: string[];
  op: Operation;
}

let routes: Route[] | undefined;

/** The six runner operations from the installed OpenAPI document, with `$ref`s resolved. */
export function githubRoutes(): Route[] {
  if (routes) return routes;
  routes = [];
  for (const template of PATHS) {
    const item = githubOpenApi().paths[template];
    if (!item) throw new Error(`OpenAPI document has no ${template}`);
    for (const method of Object.keys(item)) {
      const { regex, names } = templateMatcher(template);
      const sample = template.replace(/\{\w+\}/g, '1');
      const found = findOperation(method, sample, [template]);
      if (found) routes.push({ method: method.toUpperCase(), template, regex, names, op: found.op });
    }
  }
  return routes;
}

export interface GhRunner {
  id: number;
  name: string;
  os: string;
  status: 'online' | 'offline';
  busy: boolean;
  ephemeral: boolean;
  runner_group_id: number;
  labels: { id: number; name: string; type: 'custom' | 'read-only' }[];
  /** `repos/o/r` or `orgs/o`: where it is registered. */
  scope: string;
}

export interface GitHubContract extends LocalServer {
  runners: Map<number, GhRunner>;
  /** Tokens that get GitHub's 403 for a fine-grained PAT without runner administration. */
  forbiddenTokens: Set<string>;
  /** Runner groups that exist (others: 404 on generate-jitconfig). */
  groups: Set<number>;
  /** Checked responses that did not match the documented schema (a bug in this helper). */
  responseViolations: string[];
}

const DOCS = 'https://docs.github.com/rest/actions/self-hosted-runners';

function coerce(value: string, schema: Schema): unknown {
  if (schema.type === 'integer' || schema.type === 'number')
    return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (schema.type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

/** Starts the GitHub contract server on 127.0.0.1 (ephemeral port unless given). */
export async function startGitHubContract(port = 0): Promise<GitHubContract> {
  const all = githubRoutes();
  const runners = new Map<number, GhRunner>();
  const forbiddenTokens = new Set<string>();
  const groups = new Set<number>([1]);
  const responseViolations: string[] = [];
  let nextId = 40;
  let nextLabel = 900;

  const server = await listen((req, url, json) => handle(req, url, json), port);
  const violations = server.violations;

  function answer(route: Route, status: number, body?: unknown, headers?: Record<string, string>): Reply {
    const doc = route.op.responses[String(status)];
    if (!doc) responseViolations.push(`${route.op.operationId}: status ${status} is not documented`);
    const schema = doc?.content?.['application/json']?.schema;
    if (schema && body !== undefined) {
      for (const e of validate(schema, body))
        responseViolations.push(`${route.op.operationId} ${status}: ${e}`);
    }
    return { status, body, headers };
  }

  function handle(req: Seen, url: URL, json: unknown): Reply {
    const route = all.find((r) => r.method === req.method && r.regex.test(url.pathname));
    if (!route) {
      violations.push(`${req.method} ${url.pathname}: no such operation in the OpenAPI document`);
      return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
    }
    const op = route.op;
    const m = route.regex.exec(url.pathname) as RegExpExecArray;
    const params: Record<string, unknown> = {};
    for (const p of op.parameters ?? []) {
      const raw =
        p.in === 'path'
          ? decodeURIComponent(m[route.names.indexOf(p.name) + 1] ?? '')
          : p.in === 'query'
            ? url.searchParams.get(p.name)
            : null;
      if (p.in === 'header') continue;
      if (raw === null || raw === '') {
        if (p.required) violations.push(`${op.operationId}: missing required ${p.in} parameter "${p.name}"`);
        continue;
      }
      params[p.name] = coerce(raw, p.schema);
      for (const e of validate(p.schema, params[p.name], p.name)) violations.push(`${op.operationId}: ${e}`);
    }
    for (const key of url.searchParams.keys()) {
      if (!(op.parameters ?? []).some((p) => p.in === 'query' && p.name === key)) {
        violations.push(`${op.operationId}: undocumented query parameter "${key}"`);
      }
    }
    const bodySchema = op.requestBody?.content['application/json']?.schema;
    if (bodySchema) {
      if (!String(req.headers['content-type']).includes('application/json'))
        violations.push(`${op.operationId}: body is not JSON`);
      for (const e of validate(bodySchema, json ?? null, 'body')) violations.push(`${op.operationId}: ${e}`);
    } else if (req.body) violations.push(`${op.operationId}: takes no request body`);
    const accept = String(req.headers.accept ?? '');
    if (!/application\/(vnd\.github[^,]*\+)?json/.test(accept)) {
      violations.push(`${op.operationId}: Accept should be application/vnd.github+json, got "${accept}"`);
    }
    const auth = String(req.headers.authorization ?? '');
    const token = /^(?:token|bearer) (\S+)$/i.exec(auth)?.[1];
    if (!token) return { status: 401, body: { message: 'Requires authentication', documentation_url: DOCS } };
    if (forbiddenTokens.has(token)) {
      return {
        status: 403,
        body: {
          message: 'Resource not accessible by personal access token',
          documentation_url: DOCS,
          status: '403',
        },
      };
    }
    const scope = url.pathname.startsWith('/repos/')
      ? `repos/${String(params.owner)}/${String(params.repo)}`
      : `orgs/${String(params.org)}`;
    if (url.pathname.endsWith('/generate-jitconfig'))
      return jit(route, scope, json as Record<string, unknown>);
    if (req.method === 'GET') return list(route, scope, params);
    const r = runners.get(Number(params.runner_id));
    if (!r || r.scope !== scope)
      return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
    runners.delete(r.id);
    return answer(route, 204);
  }

  function publicView({ scope: _s, ...r }: GhRunner) {
    return r;
  }

  function jit(route: Route, scope: string, body: Record<string, unknown>): Reply {
    if (!groups.has(Number(body.runner_group_id)))
      return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
    if ([...runners.values()].some((r) => r.scope === scope && r.name === body.name)) {
      return answer(route, 409, {
        message: 'Already exists - A runner with the same name already exists.',
        documentation_url: DOCS,
      });
    }
    const labels = (body.labels as string[]).map((name) => ({
      id: nextLabel++,
      name,
      type: 'custom' as const,
    }));
    const r: GhRunner = {
      id: nextId++,
      name: String(body.name),
      os: 'unknown',
      status: 'offline',
      busy: false,
      ephemeral: true,
      runner_group_id: Number(body.runner_group_id),
      labels,
      scope,
    };
    runners.set(r.id, r);
    const config = Buffer.from(
      JSON.stringify({ '.runner': { agentName: r.name, agentId: r.id }, '.credentials': 'x' }),
    ).toString('base64');
    return answer(route, 201, { runner: publicView(r), encoded_jit_config: config });
  }

  function list(route: Route, scope: string, params: Record<string, unknown>): Reply {
    const perPage = Math.min(100, Number(params.per_page ?? 30));
    const page = Number(params.page ?? 1);
    const mine = [...runners.values()].filter(
      (r) => r.scope === scope && (!params.name || r.name === params.name),
    );
    const slice = mine.slice((page - 1) * perPage, page * perPage);
    const last = Math.max(1, Math.ceil(mine.length / perPage));
    const base = `${server.url}/${scope}/actions/runners?per_page=${perPage}`;
    const links = [];
    if (page < last)
      links.push(`<${base}&page=${page + 1}>; rel="next"`, `<${base}&page=${last}>; rel="last"`);
    return answer(
      route,
      200,
      { total_count: mine.length, runners: slice.map(publicView) },
      links.length ? { link: links.join(', ') } : {},
    );
  }

  return { ...server, runners, forbiddenTokens, groups, responseViolations };
}
