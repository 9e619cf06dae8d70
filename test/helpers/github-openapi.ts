import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deref, type Schema } from './json-schema.js';

/**
 * GitHub's official REST description (@octokit/openapi, `api.github.com.json`), for the contract
 * servers that stand in for api.github.com in tests: find the documented operation for a request,
 * with `$ref`s resolved, then check the request and the answer against it (`./json-schema.js`).
 */
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}
export interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
export interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
}

let doc: OpenApi | undefined;

/** The installed document, loaded once per process. */
export function githubOpenApi(): OpenApi {
  if (!doc) {
    const pkg = dirname(createRequire(import.meta.url).resolve('@octokit/openapi/package.json'));
    doc = JSON.parse(readFileSync(join(pkg, 'generated', 'api.github.com.json'), 'utf8')) as OpenApi;
  }
  return doc;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const matchers = new Map<string, { regex: RegExp; names: string[] }>();
const resolved = new Map<Operation, Operation>();

/** A path template as a regular expression with its parameter names (`/repos/{owner}` …). */
export function templateMatcher(template: string): { regex: RegExp; names: string[] } {
  let m = matchers.get(template);
  if (!m) {
    const names: string[] = [];
    const regex = new RegExp(
      '^' + template.replace(/\{(\w+)\}/g, (_x, n: string) => (names.push(n), '([^/]+)')) + '$',
    );
    m = { regex, names };
    matchers.set(template, m);
  }
  return m;
}

/** The operation with its `$ref`s resolved (cached: the document is large). */
export function dereferenced(op: Operation): Operation {
  let d = resolved.get(op);
  if (!d) {
    d = deref(githubOpenApi(), op);
    resolved.set(op, d);
  }
  return d;
}

/**
 * The documented operation for a method and a concrete path, `$ref`s resolved, with the path
 * parameters decoded; `undefined` when GitHub has no such operation. `templates` limits the search.
 */
export function findOperation(
  method: string,
  path: string,
  templates: readonly string[] = Object.keys(githubOpenApi().paths),
): { template: string; op: Operation; params: Record<string, string> } | undefined {
  const m = method.toLowerCase();
  if (!METHODS.includes(m)) return undefined;
  for (const template of templates) {
    const op = githubOpenApi().paths[template]?.[m];
    if (!op) continue;
    const { regex, names } = templateMatcher(template);
    const hit = regex.exec(path);
    if (hit) {
      const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(hit[i + 1])]));
      return { template, op: dereferenced(op), params };
    }
  }
  return undefined;
}
