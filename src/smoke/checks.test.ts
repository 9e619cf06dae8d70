import { describe, expect, it } from 'vitest';
import { InputReader, inputsFrom } from '../core/inputs.js';
import { evaluateLoad, failuresByBackend, gatewayHint, summarise } from './checks.js';
import type { Sample } from './client.js';
import { readTarget } from './spec.js';

const target = (values: Record<string, string | number> = {}) =>
  readTarget(new InputReader(inputsFrom({ url: 'http://127.0.0.1:8080/', ...values })));

/** 60 requests round robin over a, b, c; c answers 500 on every second request it gets. */
function flakyRun(): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < 60; i++) {
    const backend = 'abc'[i % 3];
    const status = backend === 'c' && Math.floor(i / 3) % 2 === 1 ? 500 : 200;
    out.push({ t: i, ms: backend === 'c' ? 30 + i : 2, status, backend });
  }
  return out;
}

describe('per-backend figures (issue 12, item 7)', () => {
  it('counts every response for its backend, failed or not, so imbalance reflects what the LB sent', () => {
    const t = target({ 'max-imbalance': '1.2' });
    const s = summarise(flakyRun(), t, 1000);
    expect(s.backends).toEqual({ a: 20, b: 20, c: 20 });
    expect(s.failures).toBe(10);
    const imbalance = evaluateLoad(t, s, []).find((c) => c.name === 'imbalance')!;
    expect(imbalance).toMatchObject({ passed: true, seen: '1: a ×20, b ×20, c ×20' });
  });

  it('reports errors, status codes and latency per backend and names the failing one', () => {
    const s = summarise(flakyRun(), target(), 1000);
    expect(s.perBackend.a).toEqual({
      responses: 20,
      failures: 0,
      statuses: { '200': 20 },
      p50: 2,
      p95: 2,
      max: 2,
    });
    expect(s.perBackend.c).toMatchObject({
      responses: 20,
      failures: 10,
      statuses: { '200': 10, '500': 10 },
      max: 89,
    });
    expect(failuresByBackend(s)).toEqual(['c: 10 of 20 failed (200 ×10, 500 ×10)']);
    const status = evaluateLoad(target(), s, []).find((c) => c.name === 'status')!;
    expect(status.seen).toBe(
      '10 of 60 failed (16.67%); statuses: 200 ×50, 500 ×10; by backend: c: 10 of 20 failed (200 ×10, 500 ×10)',
    );
  });

  it('counts transport errors apart, as requests no backend can be named for', () => {
    const samples: Sample[] = [
      { t: 0, ms: 1, status: 200, backend: 'a' },
      { t: 1, ms: 1, status: 0, error: 'ECONNRESET' },
    ];
    const s = summarise(samples, target(), 10);
    expect(s.unattributed).toEqual({ requests: 1, failures: 1, statuses: { ECONNRESET: 1 } });
    expect(failuresByBackend(s)).toEqual(['no backend named: 1 (ECONNRESET ×1)']);
  });

  it('a header check with no answered response says so instead of passing over nothing', () => {
    const t = target({ 'expect-response-headers': 'X-Frame-Options' });
    const samples: Sample[] = [0, 1, 2].map((i) => ({ t: i, ms: 1, status: 0, error: 'ECONNREFUSED' }));
    const check = evaluateLoad(t, summarise(samples, t, 10), []).find((c) =>
      c.name.startsWith('response header'),
    )!;
    expect(check).toMatchObject({
      passed: false,
      seen: 'no response to check: none of the 3 requests was answered with status 200-399',
    });
  });
});

describe('gatewayHint', () => {
  const gateway = (status: number, backend?: string) =>
    summarise(
      [0, 1, 2].map((i) => ({ t: i, ms: 1, status, backend })),
      target(),
      10,
    );
  /** The replicas `shop_app_1`, `shop_app_2`, … with these health states. */
  const replicas = (...health: string[]) => health.map((h, i) => ({ label: `shop_app_${i + 1}`, health: h }));
  const rows = [
    {
      name: 'healthy replicas, every answer 502 from the LB: the listen address or port',
      s: gateway(502),
      replicas: replicas('healthy', 'healthy'),
      hint: 'the load balancer reached no replica although all 2 containers are healthy: the app probably listens on 127.0.0.1 inside its container, or on another port than the one the load balancer forwards to',
    },
    {
      name: 'an unhealthy replica: name it instead',
      s: gateway(503),
      replicas: replicas('healthy', 'unhealthy'),
      hint: 'replicas not healthy: shop_app_2 (unhealthy)',
    },
    {
      name: 'no stack to look at: the same cause, said conditionally',
      s: gateway(504),
      replicas: undefined,
      hint: 'every answer was 504 from the load balancer itself: if the replicas are up, the app probably listens on 127.0.0.1 inside its container, or on another port than the one the load balancer forwards to',
    },
    { name: 'a replica sent the 502 itself', s: gateway(502, 'a'), replicas: undefined, hint: undefined },
    { name: 'a 500 is the app, not the gateway', s: gateway(500), replicas: undefined, hint: undefined },
  ];
  for (const r of rows) it(r.name, () => expect(gatewayHint(r.s, r.replicas)).toBe(r.hint));
});
