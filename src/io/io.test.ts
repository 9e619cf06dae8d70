import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answers, httpRequest, timedFetch, TransportError } from './http.js';
import { backoffMs } from './retry.js';
import { mapLimit, sleep } from './time.js';

describe('io/http: one client, a time limit always, no URL in errors', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/hang') return; // never answers
      if (path === '/trickle') {
        res.writeHead(200);
        res.write('a'); // headers and one byte, then nothing
        return;
      }
      res.writeHead(path === '/missing' ? 404 : path === '/moved' ? 302 : 200, { location: '/' });
      res.end(req.headers.authorization ?? 'ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('returns status, headers and body of any status', async () => {
    const r = await httpRequest(`${base}/missing`, { headers: { authorization: 'Bearer t' } });
    expect(r.status).toBe(404);
    expect(r.body).toBe('Bearer t');
    expect(r.headers.get('location')).toBe('/');
  });

  it('times out a hung server and a body that never ends, saying neither URL nor secret', async () => {
    for (const path of ['/hang', '/trickle']) {
      const err = await httpRequest(`${base}${path}?token=s3cret`, { timeoutMs: 200 }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).timedOut).toBe(true);
      expect((err as Error).message).toBe('no response within 200 ms');
    }
  });

  it('reports a refused connection by its code, without the URL', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = (await httpRequest(`http://127.0.0.1:${port}/x?key=s3cret`).catch(
      (e: unknown) => e,
    )) as Error;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toBe('ECONNREFUSED');
  });

  it('answers(): true on a status the caller accepts, false on others, a timeout or no server', async () => {
    expect(await answers(`${base}/`)).toBe(true);
    expect(await answers(`${base}/missing`)).toBe(false);
    expect(await answers(`${base}/missing`, { ok: (s) => s < 500 })).toBe(true);
    expect(await answers(`${base}/moved`, { redirect: 'manual' })).toBe(true);
    expect(await answers(`${base}/hang`, { timeoutMs: 200 })).toBe(false);
  });

  it("timedFetch(): the client's own signal still works, and the time limit applies without one", async () => {
    const f = timedFetch(200);
    await expect(f(`${base}/hang`)).rejects.toThrow();
    const own = new AbortController();
    const pending = f(`${base}/hang`, { signal: own.signal });
    own.abort();
    await expect(pending).rejects.toThrow();
    expect((await f(`${base}/`)).status).toBe(200);
  });
});

describe('io/time and io/retry', () => {
  it('mapLimit keeps order, never runs more than the limit at once, and runs every item before throwing', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      most = Math.max(most, running);
      await sleep(n);
      running--;
      seen.push(n);
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5]);
    const ran: number[] = [];
    await expect(
      mapLimit([1, 2, 3], 1, async (n) => {
        ran.push(n);
        if (n === 1) throw new Error('first');
        return n;
      }),
    ).rejects.toThrow('first');
    expect(ran).toEqual([1, 2, 3]);
    expect(await mapLimit([], 3, async (n: number) => n)).toEqual([]);
  });

  it('sleep stops early with the reason when its signal aborts', async () => {
    const c = new AbortController();
    const p = sleep(60_000, c.signal);
    c.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
  });

  it('backoffMs doubles from the base up to the cap, with jitter in the upper half', () => {
    const rows = [
      { attempt: 1, low: 250, high: 500 },
      { attempt: 2, low: 500, high: 1000 },
      { attempt: 5, low: 4000, high: 8000 },
      { attempt: 9, low: 4000, high: 8000 },
    ];
    for (const r of rows) {
      expect(backoffMs(r.attempt, 500, 8000, () => 0)).toBe(r.low);
      expect(backoffMs(r.attempt, 500, 8000, () => 1)).toBe(r.high);
    }
  });
});
