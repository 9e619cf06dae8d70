import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the contract server saw it (for "no token in the URL" style assertions). */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: Seen, url: URL, json: unknown) => Reply | Promise<Reply>;

export interface LocalServer {
  url: string;
  seen: Seen[];
  /** Contract violations found in requests (a test asserts this stays empty). */
  violations: string[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (port 0 unless given) that records every request and answers via `handler`. */
export async function listen(handler: Handler, port = 0): Promise<LocalServer> {
  const seen: Seen[] = [];
  const violations: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(s);
      let json: unknown = undefined;
      const type = String(req.headers['content-type'] ?? '');
      if (s.body && type.includes('json')) {
        try {
          json = JSON.parse(s.body);
        } catch {
          violations.push(`${s.method} ${s.url}: body is not valid JSON`);
        }
      } else if (s.body && type.includes('x-www-form-urlencoded')) {
        json = Object.fromEntries(new URLSearchParams(s.body));
      }
      Promise.resolve()
        .then(() => handler(s, new URL(s.url, 'http://127.0.0.1'), json))
        .then((r) => {
          const text = r.body === undefined ? '' : JSON.stringify(r.body);
          res.writeHead(r.status, {
            ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
            ...r.headers,
          });
          res.end(text);
        })
        .catch((err: unknown) => {
          violations.push(`${s.method} ${s.url}: server error ${String(err)}`);
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: 'contract server error' }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    seen,
    violations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
