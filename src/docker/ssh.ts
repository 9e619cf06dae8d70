/**
 * The Engine API over ssh, as the Docker CLI reaches `DOCKER_HOST=ssh://[user@]host[:port]`: one
 * `ssh … host -- docker system dial-stdio` per connection, HTTP over its stdin/stdout. Connections are
 * kept alive and reused (each is an ssh login: 0.2 s or more), at most `MAX_SSH` at once.
 */
import type { Agent, AgentOptions } from 'node:http';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { Duplex } from 'node:stream';
import { http } from '../core/builtins.js';
import { spawnStream } from '../core/exec.js';

/** Where ssh logs in; the port only when the URL gave one (else ssh's own config decides). */
export interface SshTarget {
  host: string;
  user?: string;
  port?: number;
}

/** At most this many ssh connections to one host at once (sshd's MaxStartups refuses more than 10 starting). */
const MAX_SSH = 6;

/** The ssh arguments the Docker CLI uses, plus BatchMode: a CI job must fail, never wait at a password prompt. */
export function sshArgs(t: SshTarget): string[] {
  return [
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=30',
    '-T',
    ...(t.user ? ['-l', t.user] : []),
    ...(t.port ? ['-p', String(t.port)] : []),
    '--',
    t.host,
    'docker',
    'system',
    'dial-stdio',
  ];
}

/** `user@host:port` as the user wrote it, for messages. */
export const sshLabel = (t: SshTarget): string =>
  `${t.user ? `${t.user}@` : ''}${t.host.includes(':') ? `[${t.host}]` : t.host}${t.port ? `:${t.port}` : ''}`;

/**
 * Why an ssh dial-stdio ended badly, in words that name the host: ssh missing here, the login
 * refused, docker missing there, or ssh's own last line.
 */
export function sshFailure(t: SshTarget, code: number | null, stderr: string, spawnError?: string): string {
  const where = `ssh to ${sshLabel(t)}`;
  if (spawnError) return `${where}: cannot run ssh here (${spawnError}); install the OpenSSH client`;
  const last = stderr.trim().split('\n').filter(Boolean).at(-1)?.slice(0, 300) ?? '';
  if (/permission denied|too many authentication failures/i.test(stderr))
    return `${where}: the login was refused (${last}); give the runner a key for that user (ssh-agent or ~/.ssh), BatchMode allows no password`;
  if (/host key verification failed|remote host identification has changed/i.test(stderr))
    return `${where}: the host key is unknown or changed (${last}); add it to known_hosts first`;
  if (code === 127 || /docker: (command )?not found|docker: no such file/i.test(stderr))
    return `${where}: docker is not installed on that host (${last || `exit ${code}`})`;
  if (/dial-stdio|unknown command/i.test(stderr))
    return `${where}: the docker CLI there cannot relay the Engine API (docker system dial-stdio: ${last})`;
  if (/cannot connect to the docker daemon|permission denied while trying to connect/i.test(stderr))
    return `${where}: the engine there does not answer that user (${last})`;
  return `${where} failed (exit ${code ?? 'signal'})${last ? `: ${last}` : ''}`;
}

/**
 * One Engine API connection: a Duplex over the child's stdin/stdout. The end of its output is held
 * back until ssh has exited, so a failed login surfaces as the error that names it, not as a bare
 * "socket hang up". The socket methods node:http calls on a connection are provided.
 */
class SshConnection extends Duplex {
  private stderr = '';
  private idle?: NodeJS.Timeout;
  private idleMs = 0;

  constructor(
    target: SshTarget,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    super();
    child.stdout.on('data', (d: Buffer) => {
      this.touch();
      if (!this.push(d)) child.stdout.pause();
    });
    child.stderr
      .setEncoding('utf8')
      .on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-4000)));
    child.stdin.on('error', () => undefined); // ssh gone: its exit says why
    child.on('error', (err: NodeJS.ErrnoException) =>
      this.destroy(new Error(sshFailure(target, null, this.stderr, err.code ?? err.message))),
    );
    child.on('close', (code) => {
      if (code === 0) this.push(null);
      else this.destroy(new Error(sshFailure(target, code, this.stderr)));
    });
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.touch();
    this.child.stdin.write(chunk, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.child.stdin.end(cb);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    clearTimeout(this.idle);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    cb(err);
  }

  private touch(): void {
    if (!this.idleMs) return;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.emit('timeout'), this.idleMs);
    this.idle.unref();
  }

  /** As net.Socket: emits 'timeout' after `ms` without traffic (0: never). */
  setTimeout(ms: number, cb?: () => void): this {
    this.idleMs = ms;
    if (ms) {
      if (cb) this.once('timeout', cb);
      this.touch();
    } else {
      // As net.Socket: setTimeout(0, cb) takes cb back (node:http does so each time it frees a connection).
      if (cb) this.removeListener('timeout', cb);
      clearTimeout(this.idle);
    }
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  /** An idle kept-alive connection must not keep the process alive. */
  unref(): this {
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr])
      (s as unknown as { unref?: () => void }).unref?.();
    return this;
  }

  ref(): this {
    this.child.ref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr])
      (s as unknown as { ref?: () => void }).ref?.();
    return this;
  }
}

/**
 * An http.Agent whose connections are ssh dial-stdio processes to `target` (node:http through
 * core/builtins: this module is in the runtime chunk every run loads).
 */
export function sshAgent(target: SshTarget, opts: AgentOptions = {}): Agent {
  const agent = new (http().Agent)({ keepAlive: true, maxSockets: MAX_SSH, ...opts });
  // node:http's Agent calls this for each new connection; its typings describe only the net.Socket form.
  (agent as unknown as { createConnection: () => Duplex }).createConnection = () =>
    new SshConnection(target, spawnStream('ssh', sshArgs(target)));
  return agent;
}
