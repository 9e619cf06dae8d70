/**
 * A small Docker Engine API client: JSON over HTTP on the engine's unix socket or `tcp://` address.
 * The Swarm blue-green path calls the API directly because each `docker` CLI call costs a process
 * start (0.1–0.4 s on a busy host), and a switch makes a dozen calls within its one-second budget.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { http } from '../core/builtins.js';
import { UserError } from '../core/errors.js';
import type { Env } from '../platform/context.js';
import type { Agent } from 'node:http';
import { sshAgent, type SshTarget } from './ssh.js';

/** Where the engine listens: a unix socket, a host and port, or a host reached through ssh. */
export interface DockerEndpoint {
  socketPath?: string;
  host?: string;
  port?: number;
  /** `ssh://[user@]host[:port]`: the API through `ssh … docker system dial-stdio` (ssh.ts). */
  ssh?: SshTarget;
  /** As the user gave it, for messages. */
  label: string;
}

// ssh://[user@]host[:port], nothing after the host (the Docker CLI refuses a path there too). A user or
// host may not start with '-' (it would reach ssh as an option).
const SSH_URL =
  /^ssh:\/\/(?:([A-Za-z0-9_][A-Za-z0-9._-]{0,63})@)?([A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/;

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** The socket path of a `unix:///path` DOCKER_HOST, or undefined for any other form. */
const unixSocket = (value: string): string | undefined => /^unix:\/\/(\/[^\0]*)$/.exec(value)?.[1];

/**
 * The endpoint of `DOCKER_HOST` (unset: the local socket). `unix://`, `tcp://` (plain HTTP) and
 * `ssh://[user@]host[:port]` are supported; anything else (TLS) is refused as bad input naming the variable.
 */
export function dockerEndpoint(dockerHost: string | undefined, tlsVerify?: string): DockerEndpoint {
  const value = dockerHost?.trim() || `unix://${DEFAULT_SOCKET}`;
  if (value.startsWith('ssh://')) return sshEndpoint(value); // ssh carries its own encryption: no TLS
  if (tlsVerify && tlsVerify !== '0') {
    throw new UserError('TLS to the engine (DOCKER_TLS_VERIFY) is not supported with engine swarm yet', {
      field: 'DOCKER_HOST',
    });
  }
  const socketPath = unixSocket(value);
  if (socketPath) return { socketPath, label: value };
  const tcp = /^tcp:\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/.exec(value);
  if (tcp) {
    const port = tcp[2] ? Number(tcp[2]) : 2375;
    if (port < 1 || port > 65535) throw new UserError(`bad port in "${value}"`, { field: 'DOCKER_HOST' });
    return { host: tcp[1].replace(/^\[|\]$/g, ''), port, label: value };
  }
  throw new UserError(
    `expected unix:///path, tcp://host:port or ssh://[user@]host[:port] for engine swarm, got ${JSON.stringify(value.slice(0, 80))}`,
    { field: 'DOCKER_HOST' },
  );
}

/**
 * The engine the docker CLI would talk to under `env`, when that is known without running the CLI: a
 * `unix://` `DOCKER_HOST`, or, with no `DOCKER_HOST` and no context chosen (`DOCKER_CONTEXT`, or
 * `currentContext` in `$DOCKER_CONFIG/config.json`, default `~/.docker`), the default socket. Undefined
 * for everything else (tcp and ssh hosts, TLS, contexts, Windows pipes): callers then run the CLI, which
 * knows them all. Reads the config file; never throws.
 */
export function cliEngine(env: Env, home: string, platform = process.platform): DockerEndpoint | undefined {
  if (platform === 'win32') return undefined;
  const host = env.DOCKER_HOST;
  // The CLI lets DOCKER_HOST override any context; when both are set, leave the choice to it.
  if (host) {
    const socketPath = unixSocket(host);
    return socketPath && !env.DOCKER_CONTEXT ? { socketPath, label: host } : undefined;
  }
  if (env.DOCKER_CONTEXT && env.DOCKER_CONTEXT !== 'default') return undefined;
  if (!env.DOCKER_CONTEXT) {
    let current: unknown;
    try {
      const file = join(env.DOCKER_CONFIG || join(home, '.docker'), 'config.json');
      current = (JSON.parse(readFileSync(file, 'utf8')) as { currentContext?: unknown }).currentContext;
    } catch (err: unknown) {
      // No config: the default context. One that cannot be read or parsed: let the CLI say what is wrong.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    }
    if (current !== undefined && current !== '' && current !== 'default') return undefined;
  }
  return { socketPath: DEFAULT_SOCKET, label: `unix://${DEFAULT_SOCKET}` };
}

function sshEndpoint(value: string): DockerEndpoint {
  const ssh = SSH_URL.exec(value);
  const port = ssh?.[3] ? Number(ssh[3]) : undefined;
  if (!ssh || (port !== undefined && (port < 1 || port > 65535)))
    throw new UserError(
      `expected ssh://[user@]host[:port] (no path), got ${JSON.stringify(value.slice(0, 80))}`,
      { field: 'DOCKER_HOST' },
    );
  const host = ssh[2].replace(/^\[|\]$/g, '');
  return { ssh: { host, ...(ssh[1] ? { user: ssh[1] } : {}), ...(port ? { port } : {}) }, label: value };
}

/** An API call the engine refused; `status` is its HTTP status (404 missing, 409 name taken). */
export class DockerApiError extends Error {
  constructor(
    readonly status: number,
    readonly what: string,
    readonly reason: string,
  ) {
    super(`${what}: ${reason} (HTTP ${status})`);
    this.name = 'DockerApiError';
  }
}

/**
 * How long calls that are safe to repeat are retried while a swarm's managers have no leader (an
 * election after a manager left; under load it has taken more than 15 s on the three-node test rig).
 */
export const ELECTION_RETRY_MS = 60_000;

// What a manager answers while the managers elect a leader (moby turns the gRPC errors of swarmkit into
// 500/503 answers): "The swarm does not have a leader", "raft: no elected cluster leader", or a request to
// the old leader that timed out ("context deadline exceeded", "rpc error: code = DeadlineExceeded/Unavailable").
const ELECTION =
  /context deadline exceeded|does not have a leader|no elected cluster leader|code = (Unavailable|DeadlineExceeded)/i;

/**
 * True for an answer of a manager that has no Raft leader right now: HTTP 503, or a 5xx naming a lost
 * leader or a timed-out call to it. Any other error (a bad spec, 404, 409, a node that does not answer at all) is not.
 */
export function isElectionError(err: unknown): boolean {
  if (!(err instanceof DockerApiError)) return false;
  return err.status === 503 || (err.status >= 500 && ELECTION.test(err.reason));
}

export interface CallOptions {
  body?: unknown;
  timeoutMs?: number;
  /** Answer the raw body (logs) instead of parsing JSON. */
  raw?: boolean;
}

// `servername` is for TLS only (so not in http's types): given empty, node's agent does not derive it from
// the Host header through net.isIP, whose first call compiles its IPv4 and IPv6 patterns (~4 ms of CPU per
// process, on the path to build-push's first build through its cache lookup).
const NO_SERVERNAME = { servername: '' };

/** JSON calls to one engine. Every method throws `DockerApiError` on a 4xx/5xx answer. */
export class DockerApi {
  /** ssh only: kept-alive dial-stdio connections (a unix or tcp call opens its own, cheap, connection). */
  private readonly agent?: Agent;

  constructor(readonly endpoint: DockerEndpoint) {
    if (endpoint.ssh) this.agent = sshAgent(endpoint.ssh);
  }

  /** Ends the kept-alive ssh connections (they never keep the process alive, but a test may want them gone). */
  close(): void {
    this.agent?.destroy();
  }

  call<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
    const what = `${method} ${path.split('?')[0]} on ${this.endpoint.label}`;
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    return new Promise<T>((resolve, reject) => {
      // node:http loads on first call (core/builtins.ts): every run loads this runtime module.
      const req = http().request(
        {
          method,
          path,
          socketPath: this.endpoint.socketPath,
          host: this.endpoint.host,
          port: this.endpoint.port,
          agent: this.agent ?? false,
          ...NO_SERVERNAME,
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

  /** Where retries during an election are announced (first try, then every 10 s); a command sets it to its log. */
  progress: (line: string) => void = () => {};

  /**
   * Runs `fn` (one call, or a few that are safe to repeat) again while the managers have no leader
   * (`isElectionError`), for up to `windowMs` (default `ELECTION_RETRY_MS`), saying so through
   * `progress`. Any other error is thrown at once; a call still failing at the end throws its last
   * error, naming the wait.
   */
  async retrying<T>(what: string, fn: () => Promise<T>, windowMs = ELECTION_RETRY_MS): Promise<T> {
    const start = Date.now();
    let said = 0;
    for (;;) {
      try {
        return await fn();
      } catch (err: unknown) {
        if (!isElectionError(err)) throw err;
        const e = err as DockerApiError;
        const waited = Date.now() - start;
        if (waited >= windowMs) {
          if (windowMs <= 0) throw err;
          throw new DockerApiError(
            e.status,
            e.what,
            `${e.reason}; still so after ${Math.round(waited / 1000)} s of retries while the managers elect a leader (is more than half of the managers up?)`,
          );
        }
        if (said === 0 || Date.now() - said >= 10_000) {
          said = Date.now();
          this.progress(
            `${what}: the swarm managers have no leader yet (${e.reason.slice(0, 120)}); retrying for up to ${Math.round(
              (windowMs - waited) / 1000,
            )} s more`,
          );
        }
        await new Promise((r) => setTimeout(r, Math.min(1000, 250 + waited / 20)));
      }
    }
  }

  /** GET, retried while the managers elect a leader (see `retrying`; `retryMs` 0: no retry). */
  get<T>(path: string, timeoutMs?: number, retryMs = ELECTION_RETRY_MS): Promise<T> {
    return this.retrying(
      `GET ${path.split('?')[0]}`,
      () => this.call<T>('GET', path, { timeoutMs }),
      retryMs,
    );
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, { body });
  }

  /**
   * DELETE; a missing object (404) counts as deleted, so it is retried like a read while the managers
   * elect a leader (a removal that went through before its answer was lost then answers 404).
   */
  async delete(path: string): Promise<void> {
    await this.retrying(`DELETE ${path.split('?')[0]}`, () =>
      this.call('DELETE', path).catch((err: unknown) => {
        if (!(err instanceof DockerApiError && err.status === 404)) throw err;
      }),
    );
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
