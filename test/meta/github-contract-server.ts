import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

/**
 * A local stand-in for api.github.com that checks every request against GitHub's official OpenAPI
 * description (@octokit/openapi): the path and method must exist, path parameters must be present,
 * query parameters must be declared, and the headers octokit must send (Accept, User-Agent, a
 * well-formed Authorization) must be there. Violations are recorded and answered with 400, so a
 * test sees them both ways. Bodies served are checked against the response schema's property types.
 */
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, Parameter>; schemas: Record<string, Schema> };
}
interface Operation {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
}
interface Schema {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

let cached: Spec | undefined;
export function githubSpec(): Spec {
  cached ??= createRequire(import.meta.url)('@octokit/openapi/generated/api.github.com.json') as Spec;
  return cached;
}

function resolve<T>(spec: Spec, item: T | { $ref: string }): T {
  if (item && typeof item === 'object' && '$ref' in item && typeof item.$ref === 'string') {
    const [, , kind, name] = item.$ref.split('/');
    return (spec.components as unknown as Record<string, Record<string, T>>)[kind][name];
  }
  return item as T;
}

/** The OpenAPI operation for a method and a concrete path, with its path parameters. */
export function findOperation(method: string, path: string) {
  const spec = githubSpec();
  for (const [template, ops] of Object.entries(spec.paths)) {
    const names: string[] = [];
    const re = new RegExp(
      '^' + template.replace(/\{([^}]+)\}/g, (_m, n: string) => (names.push(n), '([^/]+)')) + '$',
    );
    const m = re.exec(path);
    const op = ops[method.toLowerCase()];
    if (m && op) {
      const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
      return { template, op, params };
    }
  }
  return undefined;
}

/** Type errors of `value` against `schema` (only properties present are checked; enough for fixtures). */
export function schemaErrors(schema: Schema, value: unknown, at = '$'): string[] {
  const spec = githubSpec();
  const s = schema.$ref ? resolve<Schema>(spec, schema) : schema;
  if (value === null)
    return s.nullable || (Array.isArray(s.type) && s.type.includes('null')) || s.anyOf
      ? []
      : [`${at} is null`];
  const alts = s.anyOf ?? s.oneOf;
  if (alts)
    return alts.some((a) => schemaErrors(a, value, at).length === 0) ? [] : [`${at} matches no alternative`];
  if (s.allOf) return s.allOf.flatMap((a) => schemaErrors(a, value, at));
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const actual = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  if (types.length && !types.includes(actual) && !(actual === 'integer' && types.includes('number')))
    return [`${at} is ${actual}, expected ${types.join('|')}`];
  if (actual === 'object' && s.properties) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      s.properties?.[k] ? schemaErrors(s.properties[k], v, `${at}.${k}`) : [],
    );
  }
  return [];
}

export interface ContractRequest {
  method: string;
  path: string;
  operationId?: string;
  headers: IncomingMessage['headers'];
}

export interface ContractServer {
  url: string;
  requests: ContractRequest[];
  violations: string[];
  close(): Promise<void>;
}

/** Starts the server; `answers` maps an operationId (e.g. `repos/get`) to the body it returns. */
export async function startGitHubContractServer(
  answers: Record<string, (params: Record<string, string>) => unknown>,
): Promise<ContractServer> {
  const spec = githubSpec();
  const requests: ContractRequest[] = [];
  const violations: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const found = findOperation(req.method ?? 'GET', url.pathname);
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      operationId: found?.op.operationId,
      headers: req.headers,
    });
    const problems: string[] = [];
    if (!found) problems.push(`${req.method} ${url.pathname} is not in GitHub's API`);
    else {
      const declared = (found.op.parameters ?? []).map((p) => resolve<Parameter>(spec, p));
      for (const p of declared.filter((d) => d.in === 'path' && d.required))
        if (!found.params[p.name]) problems.push(`missing path parameter ${p.name}`);
      for (const q of url.searchParams.keys())
        if (!declared.some((d) => d.in === 'query' && d.name === q))
          problems.push(`undeclared query parameter ${q}`);
    }
    if (!/application\/vnd\.github|application\/json/.test(req.headers.accept ?? ''))
      problems.push('Accept header missing');
    if (!req.headers['user-agent']) problems.push('User-Agent header missing (GitHub rejects such requests)');
    const auth = req.headers.authorization;
    if (auth !== undefined && !/^(token|bearer) \S+$/i.test(auth))
      problems.push(`malformed Authorization "${auth}"`);
    const answer = found && answers[found.op.operationId];
    if (problems.length || !found || !answer) {
      violations.push(...problems);
      res.writeHead(problems.length ? 400 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: problems.join('; ') || 'Not Found' }));
      return;
    }
    const body = answer(found.params);
    const schema = found.op.responses['200']?.content?.['application/json']?.schema;
    if (schema)
      violations.push(...schemaErrors(schema, body).map((e) => `response ${found.op.operationId}: ${e}`));
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
