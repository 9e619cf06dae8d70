import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny HTTP proxy in front of the real registry that answers 503 to the next N requests once armed,
 * so tests can prove that pushes survive a flaky registry. It keeps the Host header, so the registry's
 * upload Location URLs point back at the proxy.
 */
export class FaultProxy {
  private server?: Server;
  private faults: { left: number; match: RegExp; status: number; skip: number }[] = [];
  /** Every request seen, with the status the proxy answered (503) or forwarded. */
  readonly seen: { method: string; url: string; status: number }[] = [];

  constructor(
    private readonly upstreamPort: number,
    private readonly port: number,
  ) {}

  private injectedCount = 0;

  /** Answer `status` (503) to `n` requests whose `METHOD /path` matches `match`, after letting `skip` pass (rules add up). */
  failNext(n: number, match = /./, status = 503, skip = 0): void {
    this.faults.push({ left: n, match, status, skip });
  }

  /** How many faults were answered so far. */
  get injected(): number {
    return this.injectedCount;
  }

  async start(): Promise<number> {
    this.server = createServer((req, res) => {
      const fault = this.faults.find((f) => f.left > 0 && f.match.test(`${req.method} ${req.url}`));
      if (fault && fault.skip > 0) fault.skip--;
      else if (fault) {
        fault.left--;
        this.injectedCount++;
        this.seen.push({ method: req.method ?? '', url: req.url ?? '', status: fault.status });
        req.resume();
        res.writeHead(fault.status, { 'content-type': 'text/plain' });
        res.end('fault injected by the shipkit test proxy');
        return;
      }
      const up = request(
        {
          host: '127.0.0.1',
          port: this.upstreamPort,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (upRes) => {
          this.seen.push({ method: req.method ?? '', url: req.url ?? '', status: upRes.statusCode ?? 0 });
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        },
      );
      up.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(up);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
