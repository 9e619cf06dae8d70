import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputReader, inputsFrom } from '../core/inputs.js';
import { runLoad } from './client.js';
import { runSmoke } from './index.js';
import { runTarget } from './run.js';
import { readTarget } from './spec.js';

// A toy "load balancer" in process: round robin over backend names per connection, like a real LB
// with keep-alive; `/sticky` honours an SRV cookie, `/nosticky` ignores it; echoes request headers.
let server: http.Server;
let base = '';
let connections = 0;
beforeAll(async () => {
  const names = ['b1', 'b2', 'b3'];
  server = http.createServer((req, res) => {
    const conn = req.socket as unknown as { backend?: string };
    conn.backend ??= names[connections++ % names.length];
    let backend = conn.backend;
    const cookie = /SRV=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
    const headers: Record<string, string> = { 'X-Served-By': backend, 'Content-Type': 'application/json' };
    if (req.url === '/sticky') {
      if (cookie) backend = cookie;
      else headers['Set-Cookie'] = `SRV=${backend}; Path=/`;
      headers['X-Served-By'] = backend;
    }
    if (req.url === '/nosticky') headers['Set-Cookie'] = `SRV=${backend}; Path=/`;
    if (req.url === '/fail') {
      res.writeHead(502, headers).end('bad gateway');
      return;
    }
    res.writeHead(200, headers).end(JSON.stringify({ hostname: backend, headers: req.headers }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const target = (values: Record<string, string | number>) => readTarget(new InputReader(inputsFrom(values)));

describe('smoke client against an in-process server on 127.0.0.1', () => {
  it('opens a new connection per request unless keep-alive is asked for', async () => {
    const before = connections;
    const t = target({ url: `${base}/`, concurrency: 2 });
    const plan = {
      url: t.url,
      method: 'GET',
      headers: {},
      keepAlive: false,
      timeoutMs: 2000,
      needBody: false,
    };
    await runLoad(plan, { count: 20, concurrency: 2 });
    expect(connections - before).toBe(20);
    const mid = connections;
    await runLoad({ ...plan, keepAlive: true }, { count: 20, concurrency: 2 });
    expect(connections - mid).toBeLessThanOrEqual(2);
  });

  it('splits a counted run over worker threads, still one new connection per request, observed here', async () => {
    const before = connections;
    const t = target({ url: `${base}/`, 'backend-json': 'hostname' });
    const plan = {
      url: t.url,
      method: 'GET',
      headers: { 'X-Test': 'threads' },
      keepAlive: false,
      timeoutMs: 2000,
      needBody: true,
    };
    const samples = await runLoad(plan, {
      count: 31,
      concurrency: 4,
      threads: 2,
      observe: (r) => ({
        backend: (JSON.parse(r.body) as { hostname: string; headers: Record<string, string> }).headers[
          'x-test'
        ],
      }),
    });
    expect(connections - before).toBe(31);
    expect(samples).toHaveLength(31);
    expect(samples.every((s) => s.status === 200 && s.backend === 'threads' && s.t > 0 && s.ms > 0)).toBe(
      true,
    );
  });

  it('passes distribution and header checks, reading the backend from a JSON field', async () => {
    const t = target({
      url: `${base}/`,
      requests: 30,
      concurrency: 3,
      'backend-json': 'hostname',
      'min-backends': 3,
      'max-imbalance': 1.5,
      'expect-backends': 'b1,b2,b3',
      'forward-headers': 'X-Test=yes',
      'expect-response-headers': 'Content-Type: application/json',
    });
    const r = await runTarget(t);
    expect(r.checks.filter((c) => !c.passed)).toEqual([]);
    expect(r.load.backends).toEqual({ b1: 10, b2: 10, b3: 10 });
  });

  it('keep-alive hides balancing: with 1 connection only one backend answers and the missing ones are named', async () => {
    const t = target({
      url: `${base}/`,
      requests: 10,
      concurrency: 1,
      'keep-alive': 'true',
      'backend-regex': '"hostname":"(\\w+)"',
      'min-backends': 2,
      'expect-backends': 'b1,b2,b3',
    });
    const r = await runTarget(t);
    const distinct = r.checks.find((c) => c.name === 'distinct backends')!;
    expect(distinct.passed).toBe(false);
    expect(distinct.expected).toContain('at least 2 distinct backend(s) (from body regex');
    const every = r.checks.find((c) => c.name === 'every replica answered')!;
    expect(every.passed).toBe(false);
    expect(every.seen).toMatch(/^never answered: (b\d, b\d); answered: b\d ×10$/);
  });

  it('a header the backend never sees fails with expected vs seen', async () => {
    const t = target({ url: `${base}/`, requests: 5, concurrency: 1, 'proxy-headers': 'X-NAME: lb-nginx' });
    const r = await runTarget(t);
    const c = r.checks.find((x) => x.name === 'proxy adds x-name')!;
    expect(c).toMatchObject({
      passed: false,
      expected: 'the proxy adds x-name: lb-nginx (echoed in "headers")',
      seen: 'missing or different on 5 of 5 responses',
    });
  });

  it('sticky sessions: the cookie jar keeps one backend; a server that ignores it fails', async () => {
    const ok = await runTarget(
      target({
        url: `${base}/sticky`,
        requests: 3,
        concurrency: 1,
        'sticky-requests': 6,
        'sticky-cookie': 'SRV',
      }),
    );
    expect(ok.checks.find((c) => c.name === 'sticky session')).toMatchObject({ passed: true });
    expect(Object.values(ok.sticky!.backends)).toEqual([6]);
    const bad = await runTarget(
      target({ url: `${base}/nosticky`, requests: 3, concurrency: 1, 'sticky-requests': 6 }),
    );
    const c = bad.checks.find((x) => x.name === 'sticky session')!;
    expect(c.passed).toBe(false);
    expect(c.seen).toMatch(/^backends: b\d ×2, b\d ×2, b\d ×2$/);
  });

  it('runSmoke (the blue-green contract) reports failures and never-ready targets', async () => {
    const good = await runSmoke({ url: `${base}/`, requests: 9, concurrency: 3, minBackends: 3 });
    expect(good).toMatchObject({ passed: true, requests: 9, failures: 0, failedChecks: [] });
    expect(Object.keys(good.backends).sort()).toEqual(['b1', 'b2', 'b3']);
    const bad = await runSmoke({ url: `${base}/fail`, requests: 4, readyTimeoutMs: 300 });
    expect(bad.passed).toBe(false);
    expect(bad.failures).toBe(4);
    // The toy LB marks even its 502s with a backend: the report says which one sent them.
    expect(bad.failedChecks[1]).toMatch(
      /^status: expected status 200-399, error rate ≤ 0%; seen 4 of 4 failed \(100%\); statuses: 502 ×4; by backend: (b\d: \d of \d failed \(502 ×\d\)(; |$))+/,
    );
    expect(bad.failedChecks[0]).toMatch(
      /^ready: expected status 200-399 within 300 ms; seen still not ready after \d+ ms, last answer: status 502$/,
    );
    // It kept retrying for the whole timeout before giving up.
    expect(Number(/after (\d+) ms/.exec(bad.failedChecks[0])![1])).toBeGreaterThanOrEqual(300);
  });
});
