import { UserError } from '../core/errors.js';
import { hasControlChars } from '../platform/escape.js';
import type { InputReader } from '../core/inputs.js';
import { stepReader, type StepReader } from '../core/interface.js';
import { smokeInterface } from '../generated/smoke.js';
import { Inputs } from './inputs.js';
import type { BackendSource } from './client.js';
import { parseStatusSpec } from './stats.js';

export { Inputs };

export interface StackRef {
  project: string;
  service: string;
  files: string[];
  directory?: string;
  envFiles: string[];
  /** compose: containers of a compose project here; swarm: tasks of the service `<project>_<service>`. */
  engine: 'compose' | 'swarm';
}

/** One running replica of a service (a compose container or a swarm task), as the smoke step names it. */
export interface Replica {
  id: string;
  /** Container name, e.g. `shop_app_2`. */
  name: string;
  /** `.Config.Hostname`: what the app reports as its hostname (the backend name). */
  hostname: string;
  number: number;
  /** Docker's health status (`healthy`, `unhealthy`, `starting`); undefined without a healthcheck. */
  health?: string;
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

/** The `tls-min-version` input's values, oldest first, from actions/smoke/action.yml. */
export const TLS_VERSIONS = smokeInterface.inputs['tls-min-version'].options;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

type Reader = StepReader<typeof smokeInterface>;
type Name = keyof typeof smokeInterface.inputs;

const fail = (name: string, message: string): never => {
  throw new UserError(message, { field: `input "${name}"` });
};

/** RFC 9110 `token`: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Control characters other than tab, which no header value may carry (RFC 9110 field-value). */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** `Name=value` items into a header map, each name and value checked against HTTP's grammar. */
function headerMap(r: Reader, name: Name): Record<string, string> {
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
export function headerList(r: Reader, name: Name): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const item of r.list(name)) {
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?:[:=]\s*(.*))?$/.exec(item);
    if (!m) fail(name, `expected "Header" or "Header: value", got "${item}"`);
    out[m![1].toLowerCase()] = m![2]?.trim() || undefined;
  }
  return out;
}

function errorRate(r: Reader): number {
  const text = r.optional(Inputs.maxErrorRate);
  if (text === undefined) return 0;
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  const n = pct ? Number(pct[1]) / 100 : Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    fail(Inputs.maxErrorRate, `expected a rate from 0 to 1 or a percentage such as 1%, got "${text}"`);
  return n;
}

function backendSource(r: Reader): BackendSource {
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

function optionalMs(r: Reader, name: Name): number | undefined {
  return r.optional(name) === undefined ? undefined : r.duration(name);
}

function stackRef(r: Reader): StackRef | undefined {
  if (!r.bool(Inputs.fromStack) && !r.bool(Inputs.failover)) return undefined;
  const project = r.optional(Inputs.projectName);
  if (!project)
    fail(
      Inputs.projectName,
      'is required with expect-backends-from-stack or failover (the compose project name)',
    );
  return {
    project: project!,
    service: r.string(Inputs.service),
    files: r.list(Inputs.composeFiles),
    directory: r.optional(Inputs.projectDirectory),
    envFiles: r.list(Inputs.envFile),
    engine: r.choice(Inputs.engine),
  };
}

/** Reads and validates one target from inputs (or a YAML target layered over defaults and inputs). */
export function readTarget(reader: InputReader): TargetSpec {
  const r = stepReader(reader, smokeInterface);
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
  const statusText = r.string(Inputs.expectStatus);
  const ok = parseStatusSpec(statusText);
  if (!ok)
    fail(
      Inputs.expectStatus,
      `expected status codes such as "200", "200-299", "2xx" or "200,301", got "${statusText}"`,
    );
  const forward = headerMap(r, Inputs.forwardHeaders);
  const tlsVersion = r.optional(Inputs.tlsMinVersion) ? r.choice(Inputs.tlsMinVersion) : undefined;
  const stickyRequests = r.int(Inputs.stickyRequests, { min: 0, max: 10_000 });
  const failover = r.bool(Inputs.failover);
  const expectBackends = r.list(Inputs.expectBackends);
  const stack = stackRef(r);
  const engine = r.choice(Inputs.engine);
  const eachNode = r.bool(Inputs.eachNode);
  if (engine !== 'swarm' && r.bool(Inputs.failoverDrain))
    fail(Inputs.failoverDrain, 'drains a swarm node: it needs engine swarm');
  return {
    name: r.string(Inputs.name, urlText),
    url,
    method: r.string(Inputs.method).toUpperCase(),
    requests: r.int(Inputs.requests, { min: 1, max: 10_000_000 }),
    concurrency: r.int(Inputs.concurrency, { min: 1, max: 1000 }),
    keepAlive: r.bool(Inputs.keepAlive),
    timeoutMs: r.duration(Inputs.timeout, { positive: true }),
    readyTimeoutMs: r.duration(Inputs.readyTimeout),
    headers: { ...headerMap(r, Inputs.headers), ...forward },
    expectStatus: { text: statusText, ok: ok! },
    maxErrorRate: errorRate(r),
    latency: {
      p50: optionalMs(r, Inputs.maxP50),
      p95: optionalMs(r, Inputs.maxP95),
      p99: optionalMs(r, Inputs.maxP99),
    },
    backendFrom: backendSource(r),
    minBackends: r.int(Inputs.minBackends, { min: 0, max: 1000 }),
    maxImbalance:
      r.optional(Inputs.maxImbalance) === undefined ? undefined : r.number(Inputs.maxImbalance, { min: 1 }),
    expectBackends,
    engine,
    eachNode,
    stack: r.bool(Inputs.fromStack) || failover ? stack : undefined,
    responseHeaders: headerList(r, Inputs.responseHeaders),
    forwardHeaders: Object.fromEntries(Object.entries(forward).map(([k, v]) => [k.toLowerCase(), v])),
    proxyHeaders: headerList(r, Inputs.proxyHeaders),
    echoField: r.string(Inputs.echoField),
    tls: {
      ca: r.optional(Inputs.tlsCa),
      servername: r.optional(Inputs.tlsServername),
      minDays: r.optional(Inputs.tlsMinDays) === undefined ? undefined : r.number(Inputs.tlsMinDays),
      minDaysChain:
        r.optional(Inputs.tlsMinDaysChain) === undefined ? undefined : r.number(Inputs.tlsMinDaysChain),
      minVersion: tlsVersion,
      insecure: r.bool(Inputs.tlsInsecure),
    },
    sticky:
      stickyRequests > 0 ? { requests: stickyRequests, cookie: r.optional(Inputs.stickyCookie) } : undefined,
    failover: failover
      ? {
          timeoutMs: r.duration(Inputs.failoverTimeout),
          maxErrors: r.int(Inputs.failoverMaxErrors, { min: 0 }),
          scaleUp: r.bool(Inputs.failoverScaleUp),
          drain: r.bool(Inputs.failoverDrain),
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
