import { describe, expect, it } from 'vitest';
import { ExecError } from '../core/exec.js';
import { backoffDelay, classifyFailure, RetryError, withRetry, type RetryPolicy } from './retry.js';

const execError = (stderr: string, timedOut = false) =>
  new ExecError('docker push x', { code: 1, signal: null, stdout: '', stderr, timedOut });

describe('classifyFailure', () => {
  const rows: { name: string; stderr: string; kind: string }[] = [
    {
      name: 'manifest 503',
      stderr: 'received unexpected HTTP status: 503 Service Unavailable',
      kind: 'transient',
    },
    { name: '502 bad gateway', stderr: 'error parsing HTTP 502 response body', kind: 'transient' },
    {
      name: '429 rate limit',
      stderr: 'toomanyrequests: You have reached your pull rate limit',
      kind: 'transient',
    },
    {
      name: 'connection reset',
      stderr: 'write tcp 10.0.0.1:1->2.2.2.2:443: write: connection reset by peer',
      kind: 'transient',
    },
    {
      name: 'connection refused',
      stderr: 'Get "http://127.0.0.1:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused',
      kind: 'transient',
    },
    { name: 'i/o timeout', stderr: 'net/http: TLS handshake timeout', kind: 'transient' },
    {
      name: 'client timeout',
      stderr: 'net/http: request canceled (Client.Timeout exceeded while awaiting headers)',
      kind: 'transient',
    },
    { name: 'unauthorized', stderr: 'unauthorized: authentication required', kind: 'auth' },
    { name: 'denied', stderr: 'denied: requested access to the resource is denied', kind: 'auth' },
    { name: 'GHCR 403', stderr: 'unexpected status from HEAD request: 403 Forbidden', kind: 'auth' },
    {
      name: '401 wins over a 5xx-looking number',
      stderr: 'error 401 Unauthorized (after 503)',
      kind: 'auth',
    },
    { name: 'bad reference', stderr: 'invalid reference format', kind: 'fatal' },
    { name: 'no such image', stderr: 'An image does not exist locally with the tag: x', kind: 'fatal' },
  ];
  for (const row of rows) it(row.name, () => expect(classifyFailure(row.stderr)).toBe(row.kind));
  it('treats a killed-by-timeout command as transient', () =>
    expect(classifyFailure('', true)).toBe('transient'));
});

describe('withRetry', () => {
  const policy = (sleeps: number[]): RetryPolicy => ({
    attempts: 4,
    baseDelayMs: 1000,
    maxDelayMs: 5000,
    random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms),
  });

  it('retries transient failures with growing, jittered, capped delays, then succeeds', async () => {
    const sleeps: number[] = [];
    const notes: string[] = [];
    let calls = 0;
    const result = await withRetry(
      'push of r/a:1',
      async () => {
        if (++calls < 4) throw execError('received unexpected HTTP status: 503 Service Unavailable');
        return 'ok';
      },
      policy(sleeps),
      (m) => notes.push(m),
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    expect(sleeps).toEqual([750, 1500, 3000]);
    expect(notes[0]).toMatch(
      /attempt 1\/4 failed \(received unexpected HTTP status: 503.*retrying in 750 ms/,
    );
  });

  it('gives up after the bounded attempts with a clear final error', async () => {
    let calls = 0;
    const err = await withRetry(
      'push of r/a:1',
      async () => {
        calls++;
        throw execError('toomanyrequests: slow down');
      },
      policy([]),
    ).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(err).toBeInstanceOf(RetryError);
    expect((err as Error).message).toBe(
      'push of r/a:1 failed after 4 attempts on transient registry errors; last: toomanyrequests: slow down',
    );
  });

  it('never retries an auth failure', async () => {
    let calls = 0;
    const err = await withRetry(
      'push of r/a:1',
      async () => {
        calls++;
        throw execError('denied: requested access to the resource is denied');
      },
      policy([]),
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect((err as RetryError).kind).toBe('auth');
    expect((err as Error).message).toMatch(/refused by the registry \(not retried\): denied/);
  });

  it('keeps delays within [cap/2, cap]', () => {
    const p = { attempts: 9, baseDelayMs: 100, maxDelayMs: 1000 };
    for (let a = 1; a < 9; a++) {
      const cap = Math.min(1000, 100 * 2 ** (a - 1));
      expect(backoffDelay(a, { ...p, random: () => 0 })).toBe(cap / 2);
      expect(backoffDelay(a, { ...p, random: () => 0.999999 })).toBeLessThanOrEqual(cap);
    }
  });
});

describe('withRetry with an auth-looking failure from an unhealthy registry', () => {
  it('retries when the registry ping fails too (docker reports a 503 ping as 401)', async () => {
    let calls = 0;
    const pings: boolean[] = [false, true];
    const out = await withRetry(
      'login to r',
      async () => {
        if (++calls < 3)
          throw execError('login attempt to http://r/v2/ failed with status: 401 Unauthorized');
        return 'ok';
      },
      {
        attempts: 5,
        baseDelayMs: 1,
        maxDelayMs: 1,
        sleep: async () => undefined,
        authIsGenuine: async () => pings.shift()!,
      },
    ).catch((e: unknown) => e);
    // First 401: ping unhealthy → retried. Second 401: ping healthy → genuine, stop.
    expect(calls).toBe(2);
    expect((out as RetryError).kind).toBe('auth');
  });
});
