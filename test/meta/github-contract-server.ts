import { createServer, type IncomingMessage, type Server } from 'node:http';
import { validate } from '../helpers/json-schema.js';
import { findOperation } from '../helpers/github-openapi.js';
import { listenLoopback } from '../helpers/loopback.js';

/**
 * A local stand-in for api.github.com that checks every request against GitHub's official OpenAPI
 * description (@octokit/openapi): the path and method must exist, path parameters must be present,
 * query parameters must be declared, and the headers octokit must send (Accept, User-Agent, a
 * well-formed Authorization) must be there. Violations are recorded and answered with 400, so a
 * test sees them both ways. Bodies served are checked against the response schema (fixtures may leave
 * out required fields they do not need).
 */
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
      const declared = found.op.parameters ?? [];
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
      violations.push(
        ...validate(schema, body, '$', true).map((e) => `response ${found.op.operationId}: ${e}`),
      );
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  });
  return { ...(await listenLoopback(server)), requests, violations };
}
