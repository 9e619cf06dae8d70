import { childProcess } from './builtins.js';
import { processEnv, type Env } from '../platform/context.js';

export interface ExecOptions {
  cwd?: string;
  /** Extra environment on top of the process environment (or instead of it, with `replaceEnv`). */
  env?: Env;
  replaceEnv?: boolean;
  /** Written to the child's stdin, then closed (how passwords reach `docker login --password-stdin`). */
  input?: string;
  /** Kill the child (SIGTERM, then SIGKILL after 5 s) when it runs longer. */
  timeoutMs?: number;
  /** Called with each complete line as it arrives. */
  onStdout?: (line: string) => void;
  onStderr?: (line: string) => void;
  /** Throw `ExecError` on a non-zero exit (default true). */
  check?: boolean;
  /** Applied to the command line and output in error messages (secret filter). */
  redact?: (text: string) => string;
  signal?: AbortSignal;
  /** Keep stdout/stderr in the result (default true); false when callbacks consume huge output. */
  buffer?: boolean;
}

export interface ExecResult {
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** A command that exited non-zero; the message holds the command and the tail of its stderr. */
export class ExecError extends Error {
  constructor(
    readonly command: string,
    readonly result: ExecResult,
  ) {
    const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-15).join('\n');
    const why = result.timedOut
      ? 'timed out'
      : result.signal
        ? `was killed (${result.signal})`
        : `exited ${result.code}`;
    super(`${command} ${why}${tail ? `:\n${tail}` : ''}`);
    this.name = 'ExecError';
  }
}

function lineSplitter(cb?: (line: string) => void): (chunk: string) => void {
  let buf = '';
  return (chunk) => {
    if (!cb) return;
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      cb(buf.slice(0, nl).replace(/\r$/, ''));
      buf = buf.slice(nl + 1);
    }
  };
}

/** The `PATH` programs are found on (read through the context seam). */
export function searchPath(): string {
  return processEnv().PATH ?? '';
}

/**
 * Runs a program with an argument array — never a shell string — and collects its output.
 * The only place in shipkit that spawns processes. Throws `ExecError` on failure unless `check: false`.
 */
export function exec(file: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const redact = opts.redact ?? ((t: string) => t);
  const display = redact([file, ...args].join(' '));
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn(file, args, {
      cwd: opts.cwd,
      env: opts.replaceEnv ? { ...opts.env } : { ...processEnv(), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: opts.signal,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const outLines = lineSplitter(opts.onStdout);
    const errLines = lineSplitter(opts.onStderr);
    const keep = opts.buffer ?? true;
    let outTail = '\n';
    let errTail = '\n';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (keep) stdout += d;
      outTail = d.slice(-1);
      outLines(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (keep) stderr += d;
      errTail = d.slice(-1);
      errLines(d);
    });
    let killer: NodeJS.Timeout | undefined;
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
            killer = setTimeout(() => child.kill('SIGKILL'), 5000);
          }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      clearTimeout(killer);
      const e = err as NodeJS.ErrnoException;
      reject(e.code === 'ENOENT' ? new Error(`${file}: command not found`) : new Error(redact(e.message)));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killer);
      if (outTail !== '\n') outLines('\n');
      if (errTail !== '\n') errLines('\n');
      const result: ExecResult = { code: code ?? 128, signal, stdout, stderr, timedOut };
      if ((opts.check ?? true) && (code !== 0 || timedOut)) {
        const red = { ...result, stdout: redact(stdout), stderr: redact(stderr) };
        reject(new ExecError(display, red));
      } else resolve(result);
    });
    child.stdin.on('error', () => undefined); // the child may exit before reading its input
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * Starts a long-running program whose stdin and stdout carry a byte stream (the Docker Engine API over
 * `ssh … docker system dial-stdio`). Argument array, never a shell string; the caller owns the child.
 */
export function spawnStream(file: string, args: readonly string[], env?: Env) {
  return childProcess().spawn(file, args, {
    env: { ...processEnv(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** True when `file` can be run (looked up on PATH). */
export async function hasCommand(file: string, args: readonly string[] = ['--version']): Promise<boolean> {
  try {
    const r = await exec(file, args, { check: false, timeoutMs: 15_000 });
    return r.code === 0;
  } catch {
    return false;
  }
}
