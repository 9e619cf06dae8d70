/**
 * A local stand-in for api.github.com that checks every request against GitHub's own OpenAPI
 * document (@octokit/openapi): the operation must exist for the method and path, the body must
 * match the operation's request schema (types, enums, required fields, no unknown fields where the
 * schema forbids them). It answers with the operation's success status and records each call.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  maxLength?: number;
  nullable?: boolean;
};
interface Operation {
  operationId: string;
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

let spec: OpenApi | undefined;
function loadSpec(): OpenApi {
  const require = createRequire(import.meta.url);
  const dir = require.resolve('@octokit/openapi/package.json').replace(/package\.json$/, '');
  spec ??= JSON.parse(readFileSync(`${dir}generated/api.github.com.json`, 'utf8')) as OpenApi;
  return spec;
}

const typeOf = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;

/** Errors of `value` against a JSON schema subset (what GitHub's request bodies use). */
export function validate(value: unknown, given: Schema, at = 'body'): string[] {
  const schema = given.$ref ? loadSpec().components.schemas[given.$ref.split('/').pop() ?? ''] : given;
  if (schema.oneOf || schema.anyOf) {
    const alts = schema.oneOf ?? schema.anyOf ?? [];
    return alts.some((s) => validate(value, s, at).length === 0)
      ? []
      : [`${at}: matches none of the allowed forms`];
  }
  if (value === null && schema.nullable) return [];
  const types = schema.type ? [schema.type].flat() : [];
  const t = typeOf(value);
  if (types.length && !types.includes(t) && !(t === 'integer' && types.includes('number'))) {
    return [`${at}: expected ${types.join('|')}, got ${t}`];
  }
  const errs: string[] = [];
  if (schema.enum && !schema.enum.includes(value))
    errs.push(`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'string' && schema.maxLength !== undefined && value.length > schema.maxLength)
    errs.push(`${at}: longer than ${schema.maxLength}`);
  if (t === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) errs.push(`${at}.${r}: required`);
    for (const [k, v] of Object.entries(obj)) {
      const sub = schema.properties?.[k];
      if (sub) errs.push(...validate(v, sub, `${at}.${k}`));
      else if (schema.additionalProperties === false) errs.push(`${at}.${k}: not allowed by the schema`);
    }
  }
  if (t === 'array' && schema.items)
    (value as unknown[]).forEach((v, i) => errs.push(...validate(v, schema.items as Schema, `${at}[${i}]`)));
  return errs;
}

export interface RecordedCall {
  operationId: string;
  method: string;
  path: string;
  body: Record<string, unknown>;
}

export interface ContractServer {
  url: string;
  calls: RecordedCall[];
  /** Requests that broke the contract (each also answered 422). */
  violations: string[];
  close(): Promise<void>;
}

function findOperation(method: string, path: string): { op: Operation; params: string[] } | undefined {
  for (const [template, ops] of Object.entries(loadSpec().paths)) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`);
    const m = re.exec(path);
    if (m && ops[method]) return { op: ops[method], params: m.slice(1) };
  }
  return undefined;
}

/** Starts the contract server on 127.0.0.1 (ephemeral port). */
export async function startGitHubContract(): Promise<ContractServer> {
  loadSpec();
  const calls: RecordedCall[] = [];
  const violations: string[] = [];
  let nextId = 1000;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const method = (req.method ?? 'GET').toLowerCase();
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const found = findOperation(method, path);
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const problems: string[] = [];
      if (!found) problems.push(`${method.toUpperCase()} ${path}: no such operation in GitHub's API`);
      if (!/^(token|Bearer) \S+$/.test(req.headers.authorization ?? '')) problems.push(`${path}: no token`);
      const schema = found?.op.requestBody?.content['application/json']?.schema;
      if (found && schema)
        problems.push(...validate(body, schema).map((e) => `${found.op.operationId}: ${e}`));
      if (problems.length) {
        violations.push(...problems);
        res
          .writeHead(422, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: problems.join('; ') }));
        return;
      }
      const op = found!.op;
      calls.push({ operationId: op.operationId, method, path, body });
      const status = Number(Object.keys(op.responses).find((s) => s.startsWith('2')) ?? 200);
      const id = nextId++;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          node_id: `N${id}`,
          url: `http://x${path}/${id}`,
          ...body,
          created_at: new Date().toISOString(),
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    violations,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
