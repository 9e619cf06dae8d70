import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply, RequestPlan } from './client.js';
import { nodeSender } from './load.js';
import { RawHttp, rawTargetFor } from './raw.js';

const plan = (url: string, over: Partial<RequestPlan> = {}): RequestPlan => ({
  url: new URL(url),
  method: 'GET',
  headers: {},
  keepAlive: false,
  timeoutMs: 2000,
  needBody: true,
  ...over,
});
function rawClient(p: RequestPlan): InstanceType<typeof RawHttp> {
  const target = rawTargetFor(p);
  if (!target) throw new Error(`no raw target for ${p.url.href}`);
  return new RawHttp(net, target);
}
/** The same request through node:http, as the reference. */
async function viaNode(p: RequestPlan): Promise<Reply> {
  const sender = nodeSender(p, 1);
  try {
    return await sender.send();
  } finally {
    sender.close();
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const listen = async (server: net.Server) => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

describe('rawTargetFor: what goes through the raw client', () => {
  it.each<{ name: string; url: string; headers: Record<string, string> }>([
    { name: 'https', url: 'https://127.0.0.1/', headers: {} },
    { name: 'a header value with CR LF', url: 'http://h/', headers: { 'X-A': 'a\r\nX-B: b' } },
    { name: 'a header name with a space', url: 'http://h/', headers: { 'X A': 'a' } },
    { name: 'a Connection header of its own', url: 'http://h/', headers: { connection: 'close' } },
    { name: 'Transfer-Encoding', url: 'http://h/', headers: { 'Transfer-Encoding': 'chunked' } },
  ])('$name → node:http', ({ url, headers }) => {
    expect(rawTargetFor(plan(url, { headers }))).toBeUndefined();
  });

  it('builds the request head once: request line, Host (default port left out), headers, auth', () => {
    const t = rawTargetFor(
      plan('http://u%40x:p%3Ass@[::1]:80/a%20b?q=1', { method: 'PUT', headers: { 'X-A': '1' } }),
    );
    expect(t).toMatchObject({ host: '::1', port: 80, noBody: false });
    expect(t?.head).toBe(
      `PUT /a%20b?q=1 HTTP/1.1\r\nHost: [::1]\r\nX-A: 1\r\nAuthorization: Basic ${Buffer.from('u@x:p:ss').toString('base64')}\r\nContent-Length: 0\r\n`,
    );
  });
});

describe('raw client against node:http servers', () => {
  let server: http.Server;
  let base = '';
  let connections = 0;
  let seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders }[] = [];
  // `/wait`: answered after 10 ms, counting the requests the server holds at once.
  let waiting = 0;
  let mostWaiting = 0;
  // `/pairs`: the same head twice in a row (X-N: 0, 0, 1, 1, …), with a cookie.
  let pairs = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers });
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/wait') {
        mostWaiting = Math.max(mostWaiting, ++waiting);
        return void setTimeout(() => (waiting--, res.end('ok')), 10);
      }
      if (u.pathname === '/pairs') {
        const n = String(Math.floor(pairs++ / 2));
        return void res.writeHead(200, { 'X-N': n, 'Set-Cookie': [`n=${n}`], 'Content-Length': 1 }).end(n);
      }
      if (u.pathname === '/close') res.setHeader('Connection', 'close');
      if (u.pathname === '/204') return void res.writeHead(204).end();
      if (u.pathname === '/304') return void res.writeHead(304, { ETag: '"x"' }).end();
      if (u.pathname === '/slow') return; // never answers
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      if (u.pathname === '/chunked') {
        res.write('héllo ');
        setTimeout(() => res.end('wörld'), 5);
        return;
      }
      res.setHeader('Content-Length', Buffer.byteLength('héllo wörld'));
      res.end(req.method === 'HEAD' ? undefined : 'héllo wörld');
    });
    server.on('connection', () => connections++);
    base = await listen(server);
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends the request node:http would send', async () => {
    const p = plan(`http://user:p%40ss@${base.slice(7)}/echo?x=1`, {
      method: 'POST',
      headers: { 'X-Test': 'yes', Cookie: 'a=1' },
    });
    seen = [];
    await rawClient(p).send();
    await viaNode(p);
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/echo?x=1',
      headers: { 'content-length': '0', connection: 'close', 'x-test': 'yes', cookie: 'a=1' },
    });
    expect(seen[0].headers.authorization).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
  });

  it('reads Content-Length and chunked bodies as UTF-8, headers as node:http does', async () => {
    for (const path of ['/len', '/chunked']) {
      const p = plan(`${base}${path}`);
      const [raw, ref] = [await rawClient(p).send(), await viaNode(p)];
      expect(raw).toMatchObject({ status: 200, body: 'héllo wörld' });
      expect({ ...raw.headers, date: '' }).toEqual({ ...ref.headers, date: '' });
      expect(raw.ms).toBeGreaterThan(0);
    }
  });

  it('leaves the body out unless asked for', async () => {
    const r = await rawClient(plan(`${base}/chunked`, { needBody: false })).send();
    expect(r).toMatchObject({ status: 200, body: '' });
  });

  it('keep-alive: one connection for answers that allow it, HEAD/204/304 included; a new one after Connection: close', async () => {
    const before = connections;
    for (const path of ['/len', '/chunked', '/204', '/304']) {
      const c = rawClient(plan(`${base}${path}`, { keepAlive: true }));
      const head = rawClient(plan(`${base}${path}`, { keepAlive: true, method: 'HEAD' }));
      for (let i = 0; i < 3; i++) {
        expect((await c.send()).error).toBeUndefined();
        const h = await head.send();
        expect(h).toMatchObject({ body: '' });
        expect(h.status).toBe(path === '/204' || path === '/304' ? Number(path.slice(1)) : 200);
      }
      c.close();
      head.close();
    }
    expect(connections - before).toBe(8);
    const closing = rawClient(plan(`${base}/close`, { keepAlive: true }));
    for (let i = 0; i < 3; i++) expect((await closing.send()).status).toBe(200);
    expect(connections - before).toBe(11);
  });

  it('run: the load loop on callbacks keeps `concurrency` requests out until `count`, or until stopped', async () => {
    for (const keepAlive of [false, true]) {
      const before = connections;
      mostWaiting = 0;
      const got: Reply[] = [];
      await rawClient(plan(`${base}/wait`, { keepAlive })).run({ count: 25, concurrency: 4 }, (r) =>
        got.push(r),
      );
      expect(got).toHaveLength(25);
      expect(got.every((r) => r.status === 200 && r.body === 'ok')).toBe(true);
      expect(mostWaiting).toBe(4);
      expect(connections - before).toBe(keepAlive ? 4 : 25);
    }
    let n = 0;
    await rawClient(plan(`${base}/len`)).run({ concurrency: 3, stopped: () => n >= 10 }, () => n++);
    // The workers stop asking once it says stop; the ones already out are answered.
    expect(n).toBeGreaterThanOrEqual(10);
    expect(n).toBeLessThanOrEqual(12);
  });

  it('a head seen before is not parsed again, yet each reply has headers of its own', async () => {
    pairs = 0;
    const c = rawClient(plan(`${base}/pairs`, { keepAlive: true }));
    const replies: Reply[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await c.send();
      replies.push(r);
      // What a caller does to a reply's headers never reaches the next reply.
      r.headers['x-n'] = 'changed';
      r.headers['set-cookie']?.push('extra');
    }
    c.close();
    expect(replies.map((r) => r.body)).toEqual(['0', '0', '1', '1', '2', '2']);
    expect(replies.every((r) => r.headers['x-n'] === 'changed')).toBe(true);
    expect(replies.map((r) => r.headers['set-cookie'])).toEqual(
      ['0', '0', '1', '1', '2', '2'].map((n) => [`n=${n}`, 'extra']),
    );
  });

  it('closes a keep-alive connection left idle for the time limit', async () => {
    let closed = 0;
    const idle = http.createServer((_req, res) => res.end('ok'));
    idle.on('connection', (s: net.Socket) => s.on('close', () => closed++));
    const c = rawClient(plan(await listen(idle), { keepAlive: true, timeoutMs: 100 }));
    expect((await c.send()).status).toBe(200);
    expect(c.idle).toHaveLength(1);
    await sleep(500);
    expect(c.idle).toHaveLength(0);
    expect(closed).toBe(1);
    await new Promise((r) => idle.close(r));
  });

  it('reports a refused connection and a silent server like node:http (ECONNREFUSED, ETIMEDOUT)', async () => {
    const gone = http.createServer();
    const url = await listen(gone);
    await new Promise((r) => gone.close(r));
    expect(await rawClient(plan(url)).send()).toMatchObject({ status: 0, error: 'ECONNREFUSED' });
    const slow = await rawClient(plan(`${base}/slow`, { timeoutMs: 100 })).send();
    expect(slow).toMatchObject({ status: 0, error: 'ETIMEDOUT' });
    expect(slow.ms).toBeGreaterThanOrEqual(90);
  });
});

describe('raw client against a raw server: split packets and broken answers', () => {
  // Each request's path (or its X-Do header) says what to answer: `script[path]` writes it.
  const script: Record<string, (s: net.Socket, path: string) => Promise<void> | void> = {};
  let server: net.Server;
  let base = '';
  let connections = 0;
  beforeAll(async () => {
    server = net.createServer((s) => {
      connections++;
      s.setNoDelay(true);
      let buf = '';
      s.on('data', (d: Buffer) => {
        buf += d.toString('latin1');
        for (let end = buf.indexOf('\r\n\r\n'); end >= 0; end = buf.indexOf('\r\n\r\n')) {
          const head = buf.slice(0, end);
          const path = /\r\nX-Do: (\S+)/.exec(head)?.[1] ?? head.split(' ')[1];
          buf = buf.slice(end + 4);
          void script[path.replace(/\/\d+$/, '')]?.(s, path);
        }
      });
      s.on('error', () => undefined);
    });
    base = await listen(server);
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  /** Writes `text` in pieces of `size` bytes, with a pause between them so they arrive apart. */
  const dribble = async (s: net.Socket, text: string, size = 1) => {
    for (let i = 0; i < text.length; i += size) {
      s.write(text.slice(i, i + size), 'latin1');
      await sleep(1);
    }
  };

  // As latin1 text: one char per byte on the wire (' wörld!!!' is 10 bytes of UTF-8).
  const chunked =
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n' +
    `5;name=value;q="x"\r\nhello\r\n1 ; ext\r\n,\r\nA\r\n${Buffer.from(' wörld!!!').toString('latin1')}\r\n` +
    '0\r\nX-Trailer: t\r\n\r\n';
  script['/chunked'] = (s) => dribble(s, chunked);
  script['/split'] = async (s, path) => {
    const at = Number(path.split('/')[2]);
    s.write(chunked.slice(0, at), 'latin1');
    await sleep(2);
    s.write(chunked.slice(at), 'latin1');
  };

  it('chunked with extensions and trailers, one byte per packet, then the connection is reused', async () => {
    const before = connections;
    // The real net module, with the packets counted as they reach the client.
    let packets = 0;
    const counting = {
      connect(o: net.TcpNetConnectOpts & { onread: { callback: (...a: unknown[]) => boolean } }) {
        const { onread } = o;
        const callback = onread.callback.bind(onread);
        onread.callback = (...a: unknown[]) => (packets++, callback(...a));
        return net.connect(o);
      },
    } as unknown as typeof net;
    const c = new RawHttp(counting, rawTargetFor(plan(`${base}/chunked`, { keepAlive: true }))!);
    for (let i = 0; i < 2; i++) {
      const r = await c.send();
      expect(r).toMatchObject({ status: 200, body: 'hello, wörld!!!', headers: { 'x-a': '1' } });
      expect(r.headers['x-trailer']).toBeUndefined();
    }
    expect(connections - before).toBe(1);
    expect(packets).toBeGreaterThan(chunked.length);
    c.close();
  });

  it('the same answer split in two at every byte', async () => {
    const replies = await Promise.all(
      Array.from({ length: chunked.length - 1 }, (_, i) => rawClient(plan(`${base}/split/${i + 1}`)).send()),
    );
    expect(new Set(replies.map((r) => `${r.status} ${r.body} ${String(r.headers['x-a'])}`))).toEqual(
      new Set(['200 hello, wörld!!! 1']),
    );
  });

  script['/empty'] = (s) => void s.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
  script['/extra'] = (s) => void s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA');
  script['/idle-close'] = (s) => void s.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
  script['/continue'] = (s) =>
    dribble(
      s,
      'HTTP/1.1 100 Continue\r\nX-Early: 1\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
      7,
    );

  it('Content-Length 0 keeps the connection; extra bytes or a close by the server do not', async () => {
    const before = connections;
    const empty = rawClient(plan(`${base}/empty`, { keepAlive: true }));
    for (let i = 0; i < 3; i++) expect(await empty.send()).toMatchObject({ status: 200, body: '' });
    expect(connections - before).toBe(1);
    for (const path of ['/extra', '/idle-close']) {
      const c = rawClient(plan(`${base}${path}`, { keepAlive: true }));
      for (let i = 0; i < 2; i++) {
        expect(await c.send()).toMatchObject({ status: 200, body: 'ok' });
        await sleep(20); // the close reaches the client while the connection is idle
      }
    }
    expect(connections - before).toBe(5);
  });

  it('skips 100 Continue: the final answer counts', async () => {
    const r = await rawClient(plan(`${base}/continue`)).send();
    expect(r).toMatchObject({ status: 200, body: 'ok' });
    expect(r.headers['x-early']).toBeUndefined();
  });

  script['/until-close'] = async (s) => {
    await dribble(s, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nbody ', 8);
    await dribble(s, 'until close', 4);
    s.end();
  };
  script['/http10'] = (s) => void s.end('HTTP/1.0 200 OK\r\n\r\nold');

  it('a body without length ends at close, and that connection is not reused', async () => {
    const before = connections;
    const c = rawClient(plan(`${base}/until-close`, { keepAlive: true }));
    for (let i = 0; i < 2; i++)
      expect(await c.send()).toMatchObject({ status: 200, body: 'body until close' });
    expect(await rawClient(plan(`${base}/http10`)).send()).toMatchObject({ status: 200, body: 'old' });
    expect(connections - before).toBe(3);
  });

  // Who closes first: `order` records the server's own close and the client's FIN as it sees it.
  const order: string[] = [];
  const answerThenClose = (connection: string) => (s: net.Socket) => {
    s.once('end', () => order.push('client FIN'));
    s.write(`HTTP/1.1 200 OK\r\nConnection: ${connection}\r\nContent-Length: 2\r\n\r\nok`);
    setTimeout(() => {
      order.push('server close');
      s.end();
    }, 200);
  };
  script['/closes-later'] = answerThenClose('close');
  script['/stays-open'] = answerThenClose('keep-alive');

  it('a server that says it closes closes first (its TIME_WAIT, not ours), without delaying the reply', async () => {
    order.length = 0;
    const r = await rawClient(plan(`${base}/closes-later`)).send();
    expect(r).toMatchObject({ status: 200, body: 'ok' });
    expect(r.ms).toBeLessThan(150);
    await sleep(300);
    expect(order).toEqual(['server close', 'client FIN']);
    // One that keeps the connection despite `Connection: close` is closed at once by the client.
    order.length = 0;
    expect(await rawClient(plan(`${base}/stays-open`)).send()).toMatchObject({ status: 200 });
    await sleep(300);
    expect(order).toEqual(['client FIN', 'server close']);
  });

  const broken: [string, string][] = [
    ['/bad-constant', 'HTPP/1.1 200 OK\r\n\r\n'],
    ['/bad-status', 'HTTP/1.1 2x0 OK\r\n\r\n'],
    ['/bad-version', 'HTTP/9.1 200 OK\r\n\r\n'],
    ['/lf-only', 'HTTP/1.1 200 OK\nContent-Length: 1\n\nx'],
    ['/bad-header', 'HTTP/1.1 200 OK\r\nBad Header\r\n\r\n'],
    ['/bad-chunk', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['/two-lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'],
    [
      '/length-and-chunked',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    ['/short-body', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'],
    ['/no-answer', ''],
  ];
  for (const [path, text] of broken) script[path] = (s) => void s.end(text, 'latin1');
  script['/never'] = () => undefined;
  script['/reset'] = async (s) => {
    s.write('HTTP/1.1 200 OK\r\nContent-Le');
    await sleep(5);
    s.resetAndDestroy();
  };

  it('one client goes on after every kind of failure, each request on a new connection', async () => {
    const before = connections;
    let sockets = 0;
    const counting = {
      connect: (o: net.NetConnectOpts) => (sockets++, net.connect(o)),
    } as unknown as typeof net;
    const c = new RawHttp(counting, rawTargetFor(plan(`${base}/empty`, { timeoutMs: 300 }))!);
    const fails = [...broken.map(([path]) => path), '/reset', '/never'];
    for (const path of fails) {
      expect((await c.send(`X-Do: ${path}\r\n`)).status).toBe(0);
      expect(await c.send()).toMatchObject({ status: 200, body: '' });
    }
    expect(connections - before).toBe(fails.length * 2);
    // Socket objects are connected again after their close (a second one while a close is under way).
    expect(sockets).toBeLessThanOrEqual(3);
  });

  it.each([...broken.map(([path]) => path), '/reset'])(
    '%s: a clear error, the code node:http gives',
    async (path) => {
      const p = plan(`${base}${path}`);
      const raw = await rawClient(p).send();
      const ref = await viaNode(p);
      expect(ref.error).toMatch(/^(HPE_|ECONNRESET)/);
      expect(raw).toMatchObject({ status: 0, headers: {}, body: '', error: ref.error });
    },
  );
});
