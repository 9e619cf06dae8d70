import { UserError } from '../core/errors.js';
import { hasControlChars } from '../platform/escape.js';
import type { InputReader } from '../core/inputs.js';
import type { BackendSource } from './client.js';
import { parseStatusSpec } from './stats.js';
import { processEnv, runContext, type Env } from '../platform/context.js';
import { projectName } from '../docker/project.js';

/** Input names of the smoke step, exactly as in actions/smoke/action.yml (also the YAML file keys). */
export const Inputs = {
  config: 'config',
  url: 'url',
  name: 'name',
  method: 'method',
  requests: 'requests',
  concurrency: 'concurrency',
  keepAlive: 'keep-alive',
  timeout: 'timeout',
  readyTimeout: 'ready-timeout',
  headers: 'headers',
  expectStatus: 'expect-status',
  maxErrorRate: 'max-error-rate',
  maxP50: 'max-p50',
  maxP95: 'max-p95',
  maxP99: 'max-p99',
  backendHeader: 'backend-header',
  backendJson: 'backend-json',
  backendRegex: 'backend-regex',
  minBackends: 'min-backends',
  maxImbalance: 'max-imbalance',
  expectBackends: 'expect-backends',
  fromStack: 'expect-backends-from-stack',
  projectName: 'project-name',
  service: 'service',
  composeFiles: 'compose-files',
  projectDirectory: 'project-directory',
  envFile: 'env-file',
  responseHeaders: 'expect-response-headers',
  forwardHeaders: 'forward-headers',
  proxyHeaders: 'proxy-headers',
  echoField: 'echo-field',
  tlsCa: 'tls-ca',
  tlsServername: 'tls-servername',
  tlsMinDays: 'tls-min-days',
  tlsMinDaysChain: 'tls-min-days-chain',
  tlsMinVersion: 'tls-min-version',
  tlsInsecure: 'tls-insecure',
  stickyRequests: 'sticky-requests',
  stickyCookie: 'sticky-cookie',
  failover: 'failover',
  failoverTimeout: 'failover-timeout',
  failoverMaxErrors: 'failover-max-errors',
  failoverScaleUp: 'failover-scale-up',
  failoverDrain: 'failover-drain',
  engine: 'engine',
  eachNode: 'each-node',
  reportDir: 'report-dir',
} as const;

export interface StackRef {
  project: string;
  service: string;
  files: string[];
  directory?: string;
  envFiles: string[];
  /** compose: containers of a compose project here; swarm: tasks of the service `<project>_<service>`. */
  engine: 'compose' | 'swarm';
}

/** Everything one smoke target checks, validated and defaulted. */
export interface TargetSpec {
  name: string;
  url: URL;
  method: string;
  requests: number;
  concurrency: number;
  keepAlive: boolean;
  timeoutMs: number;
  readyTimeoutMs: number;
  headers: Record<string, string>;
  /** The spec as written (for messages) and its predicate. */
  expectStatus: { text: string; ok: (status: number) => boolean };
  /** Largest allowed share of failed requests, 0–1. */
  maxErrorRate: number;
  latency: { p50?: number; p95?: number; p99?: number };
  backendFrom: BackendSource;
  minBackends: number;
  maxImbalance?: number;
  expectBackends: string[];
  engine: 'compose' | 'swarm';
  /** Swarm: send the load through every ready node's address, one target per node. */
  eachNode: boolean;
  stack?: StackRef;
  /** Response headers that must be present; a value, when given, must match exactly. */
  responseHeaders: Record<string, string | undefined>;
  /** Sent with every request and must be found in the echoed request headers. */
  forwardHeaders: Record<string, string>;
  /** Must be found in the echoed request headers (added by the proxy); value optional. */
  proxyHeaders: Record<string, string | undefined>;
  echoField: string;
  tls: {
    ca?: string;
    servername?: string;
    minDays?: number;
    minDaysChain?: number;
    minVersion?: TlsVersion;
    insecure: boolean;
  };
  sticky?: { requests: number; cookie?: string };
  failover?: { timeoutMs: number; maxErrors: number; scaleUp: boolean; drain: boolean };
}

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

const fail = (name: string, message: string): never => {
  throw new UserError(message, { field: `input "${name}"` });
};

/** RFC 9110 `token`: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Control characters other than tab, which no header value may carry (RFC 9110 field-value). */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** `Name=value` items into a header map, each name and value checked against HTTP's grammar. */
function headerMap(r: InputReader, name: string): Record<string, string> {
  const out = r.map(name);
  for (const [header, value] of Object.entries(out)) {
    if (!HEADER_NAME.test(header))
      fail(name, `not a valid header name: ${JSON.stringify(header)} (letters, digits and !#$%&'*+-.^_\`|~)`);
    if (CONTROL.test(value))
      fail(name, `the value of header ${header} contains a control character: ${JSON.stringify(value)}`);
  }
  return out;
}

/** `Name`, `Name: value` or `Name=value` items into a header map (names lower-cased). */
export function headerList(r: InputReader, name: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const item of r.list(name)) {
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?:[:=]\s*(.*))?$/.exec(item);
    if (!m) fail(name, `expected "Header" or "Header: value", got "${item}"`);
    out[m![1].toLowerCase()] = m![2]?.trim() || undefined;
  }
  return out;
}

function errorRate(r: InputReader): number {
  const text = r.optional(Inputs.maxErrorRate);
  if (text === undefined) return 0;
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  const n = pct ? Number(pct[1]) / 100 : Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    fail(Inputs.maxErrorRate, `expected a rate from 0 to 1 or a percentage such as 1%, got "${text}"`);
  return n;
}

function backendSource(r: InputReader): BackendSource {
  const header = r.optional(Inputs.backendHeader);
  const json = r.optional(Inputs.backendJson);
  const regex = r.optional(Inputs.backendRegex);
  const given = [header, json, regex].filter((v) => v !== undefined).length;
  if (given > 1) fail(Inputs.backendHeader, 'give only one of backend-header, backend-json, backend-regex');
  if (json) return { kind: 'json', value: json };
  if (regex) {
    try {
      return { kind: 'regex', value: regex, regex: new RegExp(regex) };
    } catch (err: unknown) {
      fail(Inputs.backendRegex, `not a valid regular expression: ${(err as Error).message}`);
    }
  }
  if (header !== undefined && !HEADER_NAME.test(header))
    fail(Inputs.backendHeader, `not a valid header name: ${JSON.stringify(header)}`);
  return { kind: 'header', value: header ?? 'X-Served-By' };
}

function optionalMs(r: InputReader, name: string): number | undefined {
  return r.optional(name) === undefined ? undefined : r.duration(name, 0);
}

/**
 * In CI, the project `shipkit stack up` gave the stack in this same job (its default name is fixed
 * by the run and job ids), so a GitLab job can run `stack up` then `smoke` without passing it.
 */
function sameJobStackProject(env: Env = processEnv()): string | undefined {
  const ctx = runContext(env);
  return ctx.ci === 'local' ? undefined : projectName(ctx, 'shipkit');
}

function stackRef(r: InputReader): StackRef | undefined {
  if (!r.bool(Inputs.fromStack, false) && !r.bool(Inputs.failover, false)) return undefined;
  const project = r.optional(Inputs.projectName) ?? sameJobStackProject();
  if (!project)
    fail(
      Inputs.projectName,
      'is required with expect-backends-from-stack or failover (the compose project name)',
    );
  return {
    project: project!,
    service: r.string(Inputs.service, 'app'),
    files: r.list(Inputs.composeFiles),
    directory: r.optional(Inputs.projectDirectory),
    envFiles: r.list(Inputs.envFile),
    engine: r.choice(Inputs.engine, ['compose', 'swarm'] as const, 'compose'),
  };
}

/** Reads and validates one target from inputs (or a YAML target layered over defaults and inputs). */
export function readTarget(r: InputReader): TargetSpec {
  const urlText = r.string(Inputs.url);
  // The URL parser drops tabs and line breaks; the raw text would still reach logs and reports.
  if (hasControlChars(urlText))
    fail(Inputs.url, `holds a control character (line break, tab, …): ${JSON.stringify(urlText)}`);
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    return fail(Inputs.url, `not a valid URL: "${urlText}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    fail(Inputs.url, `expected an http:// or https:// URL, got "${urlText}"`);
  const statusText = r.string(Inputs.expectStatus, '200-399');
  const ok = parseStatusSpec(statusText);
  if (!ok)
    fail(
      Inputs.expectStatus,
      `expected status codes such as "200", "200-299", "2xx" or "200,301", got "${statusText}"`,
    );
  const forward = headerMap(r, Inputs.forwardHeaders);
  const tlsVersion = r.optional(Inputs.tlsMinVersion)
    ? r.choice(Inputs.tlsMinVersion, TLS_VERSIONS, 'TLSv1.2')
    : undefined;
  const stickyRequests = r.int(Inputs.stickyRequests, 0, { min: 0, max: 10_000 });
  const failover = r.bool(Inputs.failover, false);
  const expectBackends = r.list(Inputs.expectBackends);
  const stack = stackRef(r);
  const engine = r.choice(Inputs.engine, ['compose', 'swarm'] as const, 'compose');
  const eachNode = r.bool(Inputs.eachNode, true);
  if (engine !== 'swarm' && r.bool(Inputs.failoverDrain, false))
    fail(Inputs.failoverDrain, 'drains a swarm node: it needs engine swarm');
  return {
    name: r.string(Inputs.name, urlText),
    url,
    method: r.string(Inputs.method, 'GET').toUpperCase(),
    requests: r.int(Inputs.requests, 100, { min: 1, max: 10_000_000 }),
    concurrency: r.int(Inputs.concurrency, 10, { min: 1, max: 1000 }),
    keepAlive: r.bool(Inputs.keepAlive, false),
    timeoutMs: r.duration(Inputs.timeout, 5000, { positive: true }),
    readyTimeoutMs: r.duration(Inputs.readyTimeout, 30_000),
    headers: { ...headerMap(r, Inputs.headers), ...forward },
    expectStatus: { text: statusText, ok: ok! },
    maxErrorRate: errorRate(r),
    latency: {
      p50: optionalMs(r, Inputs.maxP50),
      p95: optionalMs(r, Inputs.maxP95),
      p99: optionalMs(r, Inputs.maxP99),
    },
    backendFrom: backendSource(r),
    minBackends: r.int(Inputs.minBackends, 1, { min: 0, max: 1000 }),
    maxImbalance:
      r.optional(Inputs.maxImbalance) === undefined
        ? undefined
        : r.number(Inputs.maxImbalance, 0, { min: 1 }),
    expectBackends,
    engine,
    eachNode,
    stack: r.bool(Inputs.fromStack, false) || failover ? stack : undefined,
    responseHeaders: headerList(r, Inputs.responseHeaders),
    forwardHeaders: Object.fromEntries(Object.entries(forward).map(([k, v]) => [k.toLowerCase(), v])),
    proxyHeaders: headerList(r, Inputs.proxyHeaders),
    echoField: r.string(Inputs.echoField, 'headers'),
    tls: {
      ca: r.optional(Inputs.tlsCa),
      servername: r.optional(Inputs.tlsServername),
      minDays: r.optional(Inputs.tlsMinDays) === undefined ? undefined : r.number(Inputs.tlsMinDays, 0),
      minDaysChain:
        r.optional(Inputs.tlsMinDaysChain) === undefined ? undefined : r.number(Inputs.tlsMinDaysChain, 0),
      minVersion: tlsVersion,
      insecure: r.bool(Inputs.tlsInsecure, false),
    },
    sticky:
      stickyRequests > 0 ? { requests: stickyRequests, cookie: r.optional(Inputs.stickyCookie) } : undefined,
    failover: failover
      ? {
          timeoutMs: r.duration(Inputs.failoverTimeout, 10_000),
          maxErrors: r.int(Inputs.failoverMaxErrors, 0, { min: 0 }),
          scaleUp: r.bool(Inputs.failoverScaleUp, true),
          drain: r.bool(Inputs.failoverDrain, false),
        }
      : undefined,
  };
}

/** True when a check needs response bodies (JSON/regex backends, echoed headers). */
export function needsBody(t: TargetSpec): boolean {
  return (
    t.backendFrom.kind !== 'header' ||
    Object.keys(t.forwardHeaders).length > 0 ||
    Object.keys(t.proxyHeaders).length > 0
  );
}
