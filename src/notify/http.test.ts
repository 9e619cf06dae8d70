import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postJson, retryAfterMs, TransportError, withRetries, type Attempt } from './http.js';

/** Runs `withRetries` over scripted attempts, recording the waits instead of sleeping. */
async function run(script: (Attempt<string> | Error)[], retries = 5) {
  const waits: number[] = [];
  let calls = 0;
  const result = await withRetries(
    async () => {
      const next = script[calls++];
      if (next instanceof Error) throw next;
      return next;
    },
    { retries, sleep: async (ms) => void waits.push(ms) },
  ).then(
    (value) => ({ value, error: undefined }),
    (error: Error) => ({ value: undefined, error: error.message }),
  );
  return { ...result, waits, calls };
}

describe('withRetries', () => {
  it('waits exactly Retry-After on a rate limit, then succeeds', async () => {
    const r = await run([
      { kind: 'retry', reason: '429', retryAfterMs: 1000 },
      { kind: 'retry', reason: '429', retryAfterMs: 3000 },
      { kind: 'done', value: 'ok' },
    ]);
    expect(r).toEqual({ value: 'ok', error: undefined, waits: [1000, 3000], calls: 3 });
  });

  it('backs off exponentially (with jitter, capped) on 5xx and timeouts', async () => {
    const r = await run([
      { kind: 'retry', reason: 'HTTP 503' },
      new TransportError('no response within 10 ms', true),
      { kind: 'retry', reason: 'HTTP 502' },
      { kind: 'done', value: 'ok' },
    ]);
    expect(r.value).toBe('ok');
    expect(r.waits).toHaveLength(3);
    [500, 1000, 2000].forEach((base, i) => {
      expect(r.waits[i]).toBeGreaterThanOrEqual(base / 2);
      expect(r.waits[i]).toBeLessThanOrEqual(base);
    });
  });

  it('is bounded: gives up after retries + 1 attempts with the last reason', async () => {
    const r = await run(Array<Attempt<string>>(10).fill({ kind: 'retry', reason: 'HTTP 500' }), 2);
    expect(r.calls).toBe(3);
    expect(r.error).toBe('HTTP 500 (gave up after 3 attempts)');
  });

  it('does not retry a definite failure, nor wait out an absurd Retry-After', async () => {
    const failed = await run([{ kind: 'fail', error: new Error('channel_not_found') }]);
    expect(failed).toMatchObject({ error: 'channel_not_found', calls: 1, waits: [] });
    const long = await run([{ kind: 'retry', reason: '429', retryAfterMs: 3_600_000 }]);
    expect(long.error).toMatch(/Retry-After 3600 s is longer than we wait/);
    expect(long.waits).toEqual([]);
  });
});

describe('retryAfterMs', () => {
  const h = (v?: string) => new Headers(v === undefined ? {} : { 'Retry-After': v });
  it('reads seconds, fractions, HTTP dates, and defaults to 1 s', () => {
    expect(retryAfterMs(h('2'))).toBe(2000);
    expect(retryAfterMs(h('0.25'))).toBe(250);
    expect(
      retryAfterMs(h('Wed, 21 Oct 2015 07:28:05 GMT'), Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    ).toBe(5000);
    expect(retryAfterMs(h())).toBe(1000);
    expect(retryAfterMs(h('soon'))).toBe(1000);
  });
});

describe('postJson', () => {
  it('fails at once on a URL fetch cannot parse, without repeating it', async () => {
    const err = await postJson('http://[s3cr3t', {}, { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(TransportError);
    expect((err as Error).message).toBe('the URL is not valid');
  });
  it('reports a refused connection as a retryable TransportError naming only the error code', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const err = await postJson(`http://127.0.0.1:${port}/s3cr3t`, {}, { timeoutMs: 1000 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toBe('ECONNREFUSED');
  });
});
