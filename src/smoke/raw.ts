// smoke's load generator talks HTTP itself (raw sockets in raw.ts, node:http/https agents in load.ts,
// worker threads in threads.ts) instead of through src/io/http.ts: it must reach wrk-like request
// rates, and fetch's per-request cost and its connection pool (no choice of a new connection per
// request) cannot. Everything else that talks HTTP goes through src/io.
import type { IncomingHttpHeaders } from 'node:http';
import type * as Net from 'node:net';
import type { LoopOptions, Reply, RequestPlan } from './load-types.js';

/**
 * Marks code that load threads run from its source text (`String(fn)`, see threads.ts), so the
 * same implementation serves the main thread and the workers. Such code must be self-contained:
 * no imports or module-level names (pass them in), and — because the bundles are built with
 * esbuild's keepNames, which wraps every *named* function in a module-level helper — no function
 * that gets an inferred name: no `const f = () => …`, no nested `function f`, no `{ p: () => … }`.
 * Methods and anonymous callbacks passed as arguments are fine. client.test.ts runs the threaded
 * path from a bundle built like dist/ to catch a slip.
 */
export function portable<T>(code: T): T {
  return code;
}

/** What a raw client sends and where: built once per plan by `rawTargetFor`. */
export interface RawTarget {
  host: string;
  port: number;
  /** Request line and headers, each ending in CRLF, without `Connection` and the blank line. */
  head: string;
  keepAlive: boolean;
  timeoutMs: number;
  needBody: boolean;
  /** A HEAD request: the answer has no body, whatever its headers say. */
  noBody: boolean;
}

// Header names and values node:http would send as they are; anything else goes through node:http,
// which rejects or encodes it.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
// Framing and connection handling are the raw client's own; a plan that sets them goes to node:http.
const OWN = new Set(['connection', 'content-length', 'transfer-encoding', 'expect', 'upgrade', 'te']);
const NO_BODY_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE']);

/** `Name: value\r\n` lines, or `undefined` when a name or value needs node:http's handling. */
export function headerLines(headers: Record<string, string>): string | undefined {
  let out = '';
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name) || !VALUE.test(value) || OWN.has(name.toLowerCase())) return undefined;
    out += `${name}: ${value}\r\n`;
  }
  return out;
}

/**
 * The raw client's target for a plan, or `undefined` when the plan needs node:http/https: any
 * scheme but `http:`, CONNECT, or headers the raw client does not send as they are. The request
 * is what node:http sends: Host (unless set), the plan's headers, Basic auth from the URL, and
 * `Content-Length: 0` for methods that usually carry a body.
 */
export function rawTargetFor(plan: RequestPlan): RawTarget | undefined {
  const u = plan.url;
  if (u.protocol !== 'http:' || !TOKEN.test(plan.method) || plan.method === 'CONNECT') return undefined;
  const lines = headerLines(plan.headers);
  if (lines === undefined) return undefined;
  const names = new Set(Object.keys(plan.headers).map((n) => n.toLowerCase()));
  let head = `${plan.method} ${u.pathname}${u.search} HTTP/1.1\r\n`;
  if (!names.has('host')) head += `Host: ${u.host}\r\n`;
  head += lines;
  if ((u.username || u.password) && !names.has('authorization')) {
    const auth = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    head += `Authorization: Basic ${Buffer.from(auth).toString('base64')}\r\n`;
  }
  if (!NO_BODY_METHODS.has(plan.method)) head += 'Content-Length: 0\r\n';
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || 80),
    head,
    keepAlive: plan.keepAlive,
    timeoutMs: plan.timeoutMs,
    needBody: plan.needBody,
    noBody: plan.method === 'HEAD',
  };
}

type ReadState = 'head' | 'length' | 'close' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers';

/** A load loop on callbacks (`RawHttp.run`): its workers' state. */
interface Loop {
  opts: LoopOptions;
  onReply: (reply: Reply, now: number) => void;
  done: () => void;
  started: number;
  running: number;
}

/** One request in flight and what is known of its answer so far. */
interface Exchange {
  /** Who gets the reply: a promise (`send`) or a loop (`run`). */
  resolve: ((r: Reply) => void) | null;
  loop: Loop | null;
  t0: number;
  status: number;
  headers: IncomingHttpHeaders;
  chunks: Buffer[] | null;
  /** The connection can carry the next request once this answer is read. */
  keep: boolean;
  /** The server said it closes the connection after this answer. */
  closing: boolean;
}

/** One connection and where its parser stands. */
interface Conn {
  socket: Net.Socket;
  ex: Exchange | null;
  /** An incomplete head, chunk-size or trailer line, kept until the next packet. */
  buf: Buffer | null;
  state: ReadState;
  /** Body bytes still to read: of the whole body (`length`), of the chunk, or of its CRLF. */
  left: number;
  /** The request, until the connection is up. */
  out: Buffer | null;
  /** When the request was sent or the last bytes came (`performance.now()`). */
  seen: number;
}

/**
 * A lean HTTP/1.1 client on node:net for plain `http:`: the request bytes are built once, the
 * answer is parsed only as far as the checks need (status, headers shaped like node's
 * `IncomingMessage.headers`, the body when asked for). A new connection per request unless the
 * target asks for keep-alive; then a connection is reused when its answer allows it. Never
 * rejects: transport and parse errors become `status: 0` with node's error codes (ECONNREFUSED,
 * ECONNRESET, ETIMEDOUT for `timeoutMs` without activity, llhttp's HPE_* for bad answers).
 */
export const RawHttp = portable(
  class {
    readonly idle: Conn[] = [];
    /** Loop, reply, completion time: answers waiting for `flushSettled`. */
    readonly settled: unknown[] = [];
    readonly flush = this.flushSettled.bind(this);
    /** Every connection made, for the time-out sweep. */
    readonly all: Conn[] = [];
    // One timer for every connection instead of node's per-socket one (socket.setTimeout arms a
    // Timeout per connection and moves it on every read and write): runs while requests are out
    // or connections idle.
    sweeper: ReturnType<typeof setInterval> | null = null;
    /** Closed connections whose socket can connect again (node allows it after 'close'). */
    readonly spare: Conn[] = [];
    // Every socket reads into this one buffer (node's `onread`: no Buffer per read, no stream
    // buffering); what is kept past the callback — partial lines, body bytes — is copied.
    readonly scratch = Buffer.allocUnsafe(65536);
    readonly request: Buffer;
    /** Where a spare socket connects to again (one object, not one per request). */
    readonly address: Net.TcpNetConnectOpts;
    readonly connection: string;
    // Header names as they came → checked and lowercased: a server sends the same few each time.
    readonly names = new Map<string, string>();
    /** Heads parsed before (up to 64): status and headers of each well-formed one. */
    readonly heads = new Map<string, { status: number; headers: IncomingHttpHeaders }>();
    // Headers node keeps only the first of (lib/_http_incoming.js, matchKnownFields).
    readonly single = new Set([
      'age',
      'authorization',
      'content-length',
      'content-type',
      'etag',
      'expires',
      'from',
      'host',
      'if-modified-since',
      'if-unmodified-since',
      'last-modified',
      'location',
      'max-forwards',
      'proxy-authorization',
      'referer',
      'retry-after',
      'server',
      'user-agent',
    ]);

    constructor(
      readonly net: typeof Net,
      readonly target: RawTarget,
    ) {
      this.connection = target.keepAlive ? 'Connection: keep-alive\r\n\r\n' : 'Connection: close\r\n\r\n';
      this.request = Buffer.from(target.head + this.connection, 'latin1');
      this.address = { host: target.host, port: target.port };
    }

    /** Sends the request, with `extra` header lines (from `headerLines`) when given. */
    send(extra?: string): Promise<Reply> {
      return new Promise((resolve) => this.start(extra, resolve, null));
    }

    /**
     * `loadLoop` on callbacks: `opts.concurrency` workers, each starting its next request when
     * the last is answered, without a promise and an `await` per request. Ignores `pauseMs`
     * (loadLoop keeps those runs).
     */
    run(opts: LoopOptions, onReply: (reply: Reply, now: number) => void): Promise<void> {
      return new Promise((done) => {
        const workers = Math.max(1, Math.min(opts.concurrency, opts.count ?? opts.concurrency));
        const loop: Loop = { opts, onReply, done, started: 0, running: workers };
        for (let i = 0; i < workers; i++) this.next(loop);
      });
    }

    next(loop: Loop): void {
      const o = loop.opts;
      if (o.stopped?.() || (o.count !== undefined && loop.started >= o.count)) {
        if (--loop.running === 0) loop.done();
        return;
      }
      loop.started++;
      this.start(undefined, null, loop);
    }

    start(extra: string | undefined, resolve: ((r: Reply) => void) | null, loop: Loop | null): void {
      const ex: Exchange = {
        resolve,
        loop,
        t0: performance.now(),
        status: 0,
        headers: {},
        chunks: this.target.needBody ? [] : null,
        keep: false,
        closing: false,
      };
      const conn = this.idle.pop() ?? this.connect();
      conn.ex = ex;
      conn.seen = ex.t0;
      if (this.sweeper === null) this.startSweep();
      conn.state = 'head';
      conn.buf = null;
      const bytes = extra ? Buffer.from(this.target.head + extra + this.connection, 'latin1') : this.request;
      // Written from the socket's own 'connect' listener when still connecting: node's write
      // before connect adds two `once` listeners and closures per request.
      if (conn.socket.connecting) conn.out = bytes;
      else conn.socket.write(bytes);
    }

    /**
     * Hands a reply to its promise, or queues it for its loop: the loops' next requests start in
     * one microtask after the packet is read, never from inside the parser of a connection that
     * the next request may reuse.
     */
    settle(ex: Exchange, reply: Reply, now: number): void {
      if (!ex.loop) return void ex.resolve!(reply);
      this.settled.push(ex.loop, reply, now);
      if (this.settled.length === 3) queueMicrotask(this.flush);
    }

    flushSettled(): void {
      const batch = this.settled.splice(0);
      for (let i = 0; i < batch.length; i += 3) {
        const loop = batch[i] as Loop;
        loop.onReply(batch[i + 1] as Reply, batch[i + 2] as number);
        this.next(loop);
      }
    }

    /** Closes the idle connections. */
    close(): void {
      for (const conn of this.idle.splice(0)) conn.socket.destroy();
    }

    /**
     * Fails the requests without a byte for `timeoutMs` (ETIMEDOUT) and closes connections idle
     * that long, checked every quarter of it (at most 250 ms): between `timeoutMs` and that much
     * later. Stops when no connection is out or idle; unref'd, so it never holds the process up.
     */
    startSweep(): void {
      const every = Math.max(5, Math.min(250, this.target.timeoutMs / 4));
      this.sweeper = setInterval(this.sweep.bind(this), every);
      this.sweeper.unref();
    }

    sweep(): void {
      const now = performance.now();
      let out = 0;
      for (const conn of this.all) {
        if (!conn.ex) continue;
        if (now - conn.seen >= this.target.timeoutMs) this.fail(conn, 'ETIMEDOUT');
        else out++;
      }
      for (let i = this.idle.length - 1; i >= 0; i--)
        if (now - this.idle[i].seen >= this.target.timeoutMs) this.fail(this.idle[i], '');
      if (out === 0 && this.idle.length === 0 && this.sweeper !== null) {
        clearInterval(this.sweeper);
        this.sweeper = null;
      }
    }

    connect(): Conn {
      // A closed socket connects again: no new Duplex stream, listeners and closures per
      // request (~20 µs of CPU per connection measured here).
      const spare = this.spare.pop();
      if (spare) {
        spare.socket.connect(this.address);
        return spare;
      }
      const conn = { ex: null, buf: null, state: 'head', left: 0, out: null, seen: 0 } as unknown as Conn;
      // `bind`, not an arrow in an object literal: keepNames would name that (see `portable`).
      const onread = { buffer: this.scratch, callback: this.onRead.bind(this, conn) };
      const socket = this.net.connect({
        host: this.target.host,
        port: this.target.port,
        // A new connection carries one write: Nagle never holds it, so no setsockopt per request.
        noDelay: this.target.keepAlive,
        onread,
      });
      conn.socket = socket;
      this.all.push(conn);
      socket.on('connect', () => {
        const out = conn.out;
        conn.out = null;
        if (out && conn.ex) socket.write(out);
      });
      socket.on('error', (e: NodeJS.ErrnoException) => this.fail(conn, e.code ?? e.message));
      // The server closed: close at once. Node's own end of a half-open socket (allowHalfOpen
      // false) would first shutdown() the write side, one syscall and callback more per request.
      socket.on('end', () => socket.destroy());
      socket.on('close', () => {
        if (conn.ex && conn.state === 'close') this.complete(conn);
        else this.fail(conn, 'ECONNRESET');
        conn.state = 'head';
        if (this.spare.length < 256) this.spare.push(conn);
        else this.all.splice(this.all.indexOf(conn), 1);
      });
      return conn;
    }

    onRead(conn: Conn, n: number, buf: Uint8Array): boolean {
      conn.seen = performance.now();
      this.onData(conn, (buf as Buffer).subarray(0, n));
      return true;
    }

    onData(conn: Conn, data: Buffer): void {
      // Bytes on an idle connection: nothing was asked, so the connection is not trusted again.
      if (!conn.ex) return void this.fail(conn, '');
      const buf = conn.buf ? Buffer.concat([conn.buf, data]) : data;
      conn.buf = null;
      let off = 0;
      while (conn.ex && off >= 0 && off < buf.length)
        off = conn.state === 'head' ? this.readHead(conn, buf, off) : this.readBody(conn, buf, off);
      // More than the answer (no pipelining here): the connection is out of step, not reused.
      if (!conn.ex && off >= 0 && off < buf.length) this.fail(conn, '');
    }

    /** Parses a head starting at `off`; returns where the body starts, or -1 to wait or on error. */
    readHead(conn: Conn, buf: Buffer, off: number): number {
      const end = buf.indexOf('\r\n\r\n', off, 'latin1');
      if (end < 0) {
        if (buf.length - off >= 5 && buf.toString('latin1', off, off + 5) !== 'HTTP/')
          return this.fail(conn, 'HPE_INVALID_CONSTANT');
        const lf = buf.indexOf(10, off);
        if (lf >= 0 && buf[lf - 1] !== 13) return this.fail(conn, 'HPE_CR_EXPECTED');
        if (buf.length - off > 65536) return this.fail(conn, 'HPE_HEADER_OVERFLOW');
        conn.buf = Buffer.from(buf.subarray(off));
        return -1;
      }
      const ex = conn.ex!;
      const text = buf.toString('latin1', off, end);
      // A server repeats the same head (the Date line changes once a second): parsed once.
      const seen = this.heads.get(text);
      if (seen) {
        ex.status = seen.status;
        ex.headers = Object.assign({}, seen.headers);
      } else {
        const error = this.parseHead(ex, text);
        if (error) return this.fail(conn, error);
        if (this.heads.size >= 64) this.heads.clear();
        // Not with Set-Cookie: its array would be shared between replies.
        if (ex.headers['set-cookie'] === undefined)
          this.heads.set(text, { status: ex.status, headers: Object.assign({}, ex.headers) });
      }
      if (ex.status < 200 && ex.status !== 101) {
        // 100 Continue, 103 Early Hints: the final answer follows on the same connection.
        ex.headers = {};
        return end + 4;
      }
      const h = ex.headers;
      const te = h['transfer-encoding'];
      const cl = h['content-length'];
      if (te !== undefined && cl !== undefined) return this.fail(conn, 'HPE_INVALID_TRANSFER_ENCODING');
      if (cl !== undefined && !/^\d{1,15}$/.test(cl)) return this.fail(conn, 'HPE_INVALID_CONTENT_LENGTH');
      const tokens = (h.connection ?? '').toLowerCase();
      const http11 = text.charCodeAt(7) === 49;
      const persistent = http11
        ? !/(^|,)\s*close\s*(,|$)/.test(tokens)
        : /(^|,)\s*keep-alive\s*(,|$)/.test(tokens);
      ex.keep = this.target.keepAlive && persistent && ex.status !== 101;
      ex.closing = !persistent;
      if (this.target.noBody || ex.status === 101 || ex.status === 204 || ex.status === 304) {
        this.complete(conn);
      } else if (te !== undefined && /(^|,)\s*chunked\s*$/i.test(te)) {
        conn.state = 'chunk-size';
      } else if (te === undefined && cl !== undefined) {
        conn.state = 'length';
        conn.left = Number(cl);
        if (conn.left === 0) this.complete(conn);
      } else {
        conn.state = 'close';
        ex.keep = false;
      }
      return end + 4;
    }

    /** Status line and headers into `ex`; returns an llhttp error code, or '' when well formed. */
    parseHead(ex: Exchange, text: string): string {
      if (!text.startsWith('HTTP/')) return 'HPE_INVALID_CONSTANT';
      if (!/^HTTP\/1\.[01]/.test(text)) return 'HPE_INVALID_VERSION';
      const m = /^.{8} (\d{3})(?:\r\n| [^\r\n]*(?:\r\n|$)|$)/.exec(text);
      if (!m) return 'HPE_INVALID_STATUS';
      ex.status = Number(m[1]);
      // A lone CR or LF inside the head is what request-smuggling tricks use; node refuses it too.
      if (/\r(?!\n)|(?<!\r)\n/.test(text)) return 'HPE_CR_EXPECTED';
      const h = ex.headers as Record<string, string | string[] | undefined>;
      let from = m[0].length;
      while (from < text.length) {
        let eol = text.indexOf('\r\n', from);
        if (eol < 0) eol = text.length;
        const colon = text.indexOf(':', from);
        if (colon <= from || colon > eol) return 'HPE_INVALID_HEADER_TOKEN';
        const raw = text.slice(from, colon);
        let name = this.names.get(raw);
        if (name === undefined) {
          name = raw.toLowerCase();
          if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(name)) return 'HPE_INVALID_HEADER_TOKEN';
          if (this.names.size < 1024) this.names.set(raw, name);
        }
        const value = text.slice(colon + 1, eol).trim();
        from = eol + 2;
        const had = h[name];
        if (had === undefined) h[name] = name === 'set-cookie' ? [value] : value;
        else if (name === 'set-cookie') (had as string[]).push(value);
        else if (name === 'content-length' && had !== value) return 'HPE_UNEXPECTED_CONTENT_LENGTH';
        else if (name === 'cookie') h[name] = `${had as string}; ${value}`;
        else if (!this.single.has(name)) h[name] = `${had as string}, ${value}`;
      }
      return '';
    }

    /** Reads body bytes from `off`; returns where it stopped, or -1 to wait or on error. */
    readBody(conn: Conn, buf: Buffer, off: number): number {
      const state = conn.state;
      if (state === 'length' || state === 'chunk-data') {
        const to = Math.min(buf.length, off + conn.left);
        conn.ex!.chunks?.push(Buffer.from(buf.subarray(off, to)));
        conn.left -= to - off;
        if (conn.left > 0) return to;
        if (state === 'length') this.complete(conn);
        else {
          conn.state = 'chunk-end';
          conn.left = 2;
        }
        return to;
      }
      if (state === 'close') {
        conn.ex!.chunks?.push(Buffer.from(buf.subarray(off)));
        return buf.length;
      }
      if (state === 'chunk-end') {
        // The CRLF after a chunk's data, possibly split over packets.
        if (buf[off] !== (conn.left === 2 ? 13 : 10)) return this.fail(conn, 'HPE_INVALID_CHUNK_SIZE');
        if (--conn.left === 0) conn.state = 'chunk-size';
        return off + 1;
      }
      const eol = buf.indexOf('\r\n', off, 'latin1');
      if (eol < 0) {
        if (buf.length - off > 16384) return this.fail(conn, 'HPE_CHUNK_EXTENSIONS_OVERFLOW');
        conn.buf = Buffer.from(buf.subarray(off));
        return -1;
      }
      if (state === 'trailers') {
        // Trailer fields are skipped (node keeps them apart from the headers too); a blank line ends.
        if (eol === off) this.complete(conn);
        return eol + 2;
      }
      const size = /^([0-9a-fA-F]{1,12})[ \t]*(;[^\r\n]*)?$/.exec(buf.toString('latin1', off, eol));
      if (!size) return this.fail(conn, 'HPE_INVALID_CHUNK_SIZE');
      conn.left = parseInt(size[1], 16);
      conn.state = conn.left === 0 ? 'trailers' : 'chunk-data';
      return eol + 2;
    }

    complete(conn: Conn): void {
      const ex = conn.ex!;
      conn.ex = null;
      conn.state = 'head';
      if (ex.keep) this.idle.push(conn);
      // A server that said it closes does so now: let it close first, so that the TIME_WAIT is
      // its own and a long run does not use up this host's ephemeral ports. Closing first, as wrk
      // does, saves no CPU here, and through docker-proxy it put ~14,000 TIME_WAIT on the proxy's
      // ports to the container: a 30 s run fell to 1,622 req/s from 5,138 (BENCHMARKS.md, issue 17).
      else if (!ex.closing) conn.socket.destroy();
      const body = ex.chunks ? Buffer.concat(ex.chunks).toString('utf8') : '';
      const now = performance.now();
      this.settle(ex, { status: ex.status, headers: ex.headers, body, ms: now - ex.t0 }, now);
    }

    /** Ends the connection; its request, if any, fails with `code`. Returns -1 (stop reading). */
    fail(conn: Conn, code: string): number {
      const ex = conn.ex;
      conn.ex = null;
      conn.buf = null;
      conn.out = null;
      const i = this.idle.indexOf(conn);
      if (i >= 0) this.idle.splice(i, 1);
      conn.socket.destroy();
      if (!ex) return -1;
      const now = performance.now();
      this.settle(ex, { status: 0, headers: {}, body: '', ms: now - ex.t0, error: code }, now);
      return -1;
    }
  },
);
