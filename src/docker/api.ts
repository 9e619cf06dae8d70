/**
 * A small Docker Engine API client: JSON over HTTP on the engine's unix socket or `tcp://` address.
 * The Swarm blue-green path calls the API directly because each `docker` CLI call costs a process
 * start (0.1–0.4 s on a busy host), and a switch makes a dozen calls within its one-second budget.
 */
import { request } from 'node:http';
import { UserError } from '../core/errors.js';

/** Where the engine listens: a unix socket, or a host and port. */
export interface DockerEndpoint {
  socketPath?: string;
  host?: string;
  port?: number;
  /** As the user gave it, for messages. */
  label: string;
}

/**
 * The endpoint of `DOCKER_HOST` (unset: the local socket). `unix://` and `tcp://` (plain HTTP) are
 * supported; anything else (ssh://, TLS) is refused as bad input naming the variable.
 */
export function dockerEndpoint(dockerHost: string | undefined, tlsVerify?: string): DockerEndpoint {
  const value = dockerHost?.trim() || 'unix:///var/run/docker.sock';
  if (tlsVerify && tlsVerify !== '0') {
    throw new UserError('TLS to the engine (DOCKER_TLS_VERIFY) is not supported with engine swarm yet', {
      field: 'DOCKER_HOST',
    });
  }
  const unix = /^unix:\/\/(\/[^\0]*)$/.exec(value);
  if (unix) return { socketPath: unix[1], label: value };
  const tcp = /^tcp:\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/.exec(value);
  if (tcp) {
    const port = tcp[2] ? Number(tcp[2]) : 2375;
    if (port < 1 || port > 65535) throw new UserError(`bad port in "${value}"`, { field: 'DOCKER_HOST' });
    return { host: tcp[1].replace(/^\[|\]$/g, ''), port, label: value };
  }
  throw new UserError(
    `expected unix:///path or tcp://host:port for engine swarm, got ${JSON.stringify(value.slice(0, 80))}`,
    { field: 'DOCKER_HOST' },
  );
}

/** An API call the engine refused; `status` is its HTTP status (404 missing, 409 name taken). */
export class DockerApiError extends Error {
  constructor(
    readonly status: number,
    readonly what: string,
    message: string,
  ) {
    super(`${what}: ${message} (HTTP ${status})`);
    this.name = 'DockerApiError';
  }
}

export interface CallOptions {
  body?: unknown;
  timeoutMs?: number;
  /** Answer the raw body (logs) instead of parsing JSON. */
  raw?: boolean;
}

/** JSON calls to one engine. Every method throws `DockerApiError` on a 4xx/5xx answer. */
export class DockerApi {
  constructor(readonly endpoint: DockerEndpoint) {}

  call<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
    const what = `${method} ${path.split('?')[0]} on ${this.endpoint.label}`;
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    return new Promise<T>((resolve, reject) => {
      const req = request(
        {
          method,
          path,
          socketPath: this.endpoint.socketPath,
          host: this.endpoint.host,
          port: this.endpoint.port,
          agent: false,
          headers: {
            host: 'docker',
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('error', reject);
          res.on('end', () => {
            const body = Buffer.concat(chunks);
            const status = res.statusCode ?? 0;
            if (status >= 400) {
              let message = body.toString('utf8').trim();
              try {
                message = (JSON.parse(message) as { message?: string }).message ?? message;
              } catch {
                /* not JSON: keep the text */
              }
              reject(new DockerApiError(status, what, message.slice(0, 500)));
              return;
            }
            if (opts.raw) return resolve(body as T);
            const text = body.toString('utf8');
            try {
              resolve((text ? JSON.parse(text) : undefined) as T);
            } catch (err: unknown) {
              reject(new Error(`${what}: not JSON (${(err as Error).message})`));
            }
          });
        },
      );
      req.setTimeout(opts.timeoutMs ?? 30_000, () =>
        req.destroy(new Error(`${what}: no answer in ${opts.timeoutMs ?? 30_000} ms`)),
      );
      req.on('error', (err) => reject(new Error(`${what}: ${err.message}`)));
      req.end(payload);
    });
  }

  /**
   * GET, retried for up to `retryMs` while the managers answer 5xx (no Raft leader: an election after
   * a manager left takes a few seconds, during which reads fail with `rpc error`).
   */
  async get<T>(path: string, timeoutMs?: number, retryMs = 15_000): Promise<T> {
    const deadline = Date.now() + retryMs;
    for (;;) {
      try {
        return await this.call<T>('GET', path, { timeoutMs });
      } catch (err: unknown) {
        if (!(err instanceof DockerApiError && err.status >= 500) || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, { body });
  }

  /** DELETE; a missing object (404) counts as deleted. */
  async delete(path: string): Promise<void> {
    await this.call('DELETE', path).catch((err: unknown) => {
      if (!(err instanceof DockerApiError && err.status === 404)) throw err;
    });
  }

  /** GET that answers undefined for a missing object (404). */
  async find<T>(path: string): Promise<T | undefined> {
    return this.get<T>(path).catch((err: unknown) => {
      if (err instanceof DockerApiError && err.status === 404) return undefined;
      throw err;
    });
  }
}

/** `?filters=` for list calls: `{label: ['a=b']}` → the engine's JSON form. */
export function filters(f: Record<string, readonly string[]>): string {
  return `filters=${encodeURIComponent(JSON.stringify(f))}`;
}

/**
 * The text of a log stream without a TTY: frames of an 8-byte header (stream, 0, 0, 0, size as
 * big-endian u32) followed by the payload.
 */
export function demuxLogs(buf: Buffer): string {
  let out = '';
  let at = 0;
  while (at + 8 <= buf.length) {
    const size = buf.readUInt32BE(at + 4);
    out += buf.subarray(at + 8, at + 8 + size).toString('utf8');
    at += 8 + size;
  }
  return out;
}
