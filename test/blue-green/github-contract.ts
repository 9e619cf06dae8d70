/**
 * A local stand-in for api.github.com that checks every request against GitHub's own OpenAPI
 * document (@octokit/openapi): the operation must exist for the method and path, the body must
 * match the operation's request schema (types, enums, required fields, no unknown fields where the
 * schema forbids them). It answers with the operation's success status and records each call.
 */
import { createServer, type Server } from 'node:http';
import { validate } from '../helpers/json-schema.js';
import { listenLoopback } from '../helpers/loopback.js';
import { findOperation } from '../helpers/github-openapi.js';

export interface RecordedCall {
  operationId: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
}

export interface ContractOptions {
  /** What list operations (a documented array response) answer, by operationId; [] otherwise. */
  lists?: Record<string, unknown[]>;
}

export interface ContractServer {
  url: string;
  calls: RecordedCall[];
  /** Requests that broke the contract (each also answered 422). */
  violations: string[];
  close(): Promise<void>;
}

/** Starts the contract server on 127.0.0.1 (ephemeral port). */
export async function startGitHubContract(opts: ContractOptions = {}): Promise<ContractServer> {
  const calls: RecordedCall[] = [];
  const violations: string[] = [];
  let nextId = 1000;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const method = (req.method ?? 'GET').toLowerCase();
      const url = new URL(req.url ?? '/', 'http://x');
      const path = url.pathname;
      const query = Object.fromEntries(url.searchParams);
      const found = findOperation(method, path);
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const problems: string[] = [];
      if (!found) problems.push(`${method.toUpperCase()} ${path}: no such operation in GitHub's API`);
      if (!/^(token|Bearer) \S+$/.test(req.headers.authorization ?? '')) problems.push(`${path}: no token`);
      const schema = found?.op.requestBody?.content['application/json']?.schema;
      if (found && schema)
        problems.push(...validate(schema, body, 'body').map((e) => `${found.op.operationId}: ${e}`));
      const documented = new Set(
        (found?.op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      );
      for (const name of Object.keys(query))
        if (found && !documented.has(name))
          problems.push(`${found.op.operationId}: query parameter "${name}" is not documented`);
      if (problems.length) {
        violations.push(...problems);
        res
          .writeHead(422, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: problems.join('; ') }));
        return;
      }
      const op = found!.op;
      calls.push({ operationId: op.operationId, method, path, query, body });
      const status = Number(Object.keys(op.responses).find((s) => s.startsWith('2')) ?? 200);
      const answer = op.responses[String(status)]?.content?.['application/json']?.schema;
      if (answer?.type === 'array') {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(opts.lists?.[op.operationId] ?? []));
        return;
      }
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
  return { ...(await listenLoopback(server)), calls, violations };
}
