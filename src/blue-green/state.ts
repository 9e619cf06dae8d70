import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StepFailure } from '../core/errors.js';

export const COLOURS = ['blue', 'green'] as const;
export type Colour = (typeof COLOURS)[number];

/** The other colour. */
export function other(colour: Colour): Colour {
  return colour === 'blue' ? 'green' : 'blue';
}

/** Where one colour stands: `ready` = deployed, healthy and smoke-tested, waiting for promotion. */
export type ColourStatus = 'absent' | 'deploying' | 'ready' | 'failed' | 'live' | 'drained' | 'stopped';

export interface ColourState {
  status: ColourStatus;
  image?: string;
  version?: string;
  deployedAt?: string;
  deployedBy?: string;
  promotedAt?: string;
  /** When a drained colour may be stopped (ISO time). */
  drainUntil?: string;
  /** Why it failed, or other last words. */
  message?: string;
  /** GitHub Deployment id of this colour's last deployment, when recorded. */
  deploymentId?: number;
}

/** A switch that was started but not recorded as done: the next command finishes or reverts it. */
export interface PendingSwitch {
  op: 'promote' | 'rollback';
  from: Colour | null;
  to: Colour;
  startedAt: string;
  by: string;
  pid: number;
  host: string;
}

export interface HistoryEntry {
  at: string;
  op: string;
  colour?: Colour;
  version?: string;
  by: string;
  outcome: 'ok' | 'failed' | 'recovered';
  message?: string;
}

/** A release as it was live: what ran and on which colour. */
export interface Release {
  image: string;
  version: string;
  colour: Colour;
  /** When it stopped being live (ISO time). */
  until: string;
}

/** The host ports the LB was last set up with, so `status` without them asks the right ports. */
export interface LbPorts {
  port: number;
  previewPort: number;
  bindAddress: string;
}

/** The durable truth about one blue-green app on this host (`state.json` in the state dir). */
export interface BlueGreenState {
  schema: 1;
  name: string;
  lb: 'nginx' | 'haproxy';
  live: Colour | null;
  /** The colour that was live before the current one. */
  previous: Colour | null;
  /**
   * The release that was live before the current one: the rollback target, whatever the colour
   * slot it ran in holds now (a newer candidate or a failed deploy may have replaced it).
   */
  previousRelease?: Release;
  ports?: LbPorts;
  colours: Record<Colour, ColourState>;
  pending?: PendingSwitch;
  history: HistoryEntry[];
  updatedAt: string;
}

const HISTORY_LIMIT = 100;

export function emptyState(name: string, lb: 'nginx' | 'haproxy'): BlueGreenState {
  return {
    schema: 1,
    name,
    lb,
    live: null,
    previous: null,
    colours: { blue: { status: 'absent' }, green: { status: 'absent' } },
    history: [],
    updatedAt: new Date(0).toISOString(),
  };
}

/** The colour a deploy goes to: the one that is not live (blue when nothing is live yet). */
export function idleColour(state: BlueGreenState): Colour {
  return state.live ? other(state.live) : 'blue';
}

export function stateFile(dir: string): string {
  return join(dir, 'state.json');
}

/** Reads the state, or an empty one when there is none yet. Throws on a corrupt file, naming it. */
export async function loadState(dir: string, name: string, lb: 'nginx' | 'haproxy'): Promise<BlueGreenState> {
  const file = stateFile(dir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err: unknown) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState(name, lb);
    throw err;
  }
  try {
    const state = JSON.parse(text) as BlueGreenState;
    if (state.schema !== 1 || !state.colours) throw new Error('unknown schema');
    // Files written before the history was kept have none: they stay readable.
    if (!Array.isArray(state.history)) state.history = [];
    return state;
  } catch (err: unknown) {
    throw new StepFailure(`${file}: corrupt blue-green state (${(err as Error).message}); fix or remove it`);
  }
}

/**
 * Writes a file atomically: a temporary file in the same folder, fsync, then rename over the old one.
 * `mode` defaults to 0644; files holding user values (compose files: env, often secrets) pass 0600.
 */
export async function writeAtomic(file: string, content: string, mode = 0o644): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fh = await open(tmp, 'w', mode);
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}

/** Saves the state atomically, appending `entry` to the history when given. */
export async function saveState(dir: string, state: BlueGreenState, entry?: HistoryEntry): Promise<void> {
  if (entry) state.history = [...state.history, entry].slice(-HISTORY_LIMIT);
  state.updatedAt = new Date().toISOString();
  await mkdir(dir, { recursive: true });
  await writeAtomic(stateFile(dir), JSON.stringify(state, null, 2) + '\n');
}

export interface LockInfo {
  pid: number;
  host: string;
  at: string;
  op: string;
  by: string;
}

export interface LockOptions {
  timeoutMs: number;
  /** A lock older than this is taken over even when its owner cannot be checked (another host). */
  staleMs?: number;
  pollMs?: number;
  onWait?: (holder: LockInfo) => void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: unknown) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(file: string): Promise<LockInfo | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockInfo;
  } catch {
    return undefined; // gone, or half-written by its owner right now
  }
}

/** True when the holder is dead (same host) or the lock is older than `staleMs`. */
export function isStale(info: LockInfo, staleMs: number, now = Date.now(), host = hostname()): boolean {
  if (info.host === host && !alive(info.pid)) return true;
  return now - Date.parse(info.at) > staleMs;
}

/**
 * Takes the host-wide lock of one app (`lock` in the state dir, created with O_EXCL and holding
 * pid/host/time). Waits up to `timeoutMs` for another holder, takes over a stale lock, and throws a
 * `StepFailure` naming the holder on timeout. Returns the release function.
 */
export async function acquireLock(
  dir: string,
  op: string,
  by: string,
  opts: LockOptions,
): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'lock');
  const me: LockInfo = { pid: process.pid, host: hostname(), at: new Date().toISOString(), op, by };
  const deadline = Date.now() + opts.timeoutMs;
  let warned = false;
  for (;;) {
    try {
      const fh = await open(file, 'wx', 0o644);
      await fh.writeFile(JSON.stringify(me) + '\n');
      await fh.close();
      return async () => {
        const held = await readLock(file);
        if (held?.pid === me.pid && held.host === me.host) await rm(file, { force: true });
      };
    } catch (err: unknown) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readLock(file);
    if (holder && isStale(holder, opts.staleMs ?? 3_600_000)) {
      // Take over by renaming: only one of several waiters wins the rename of the same stale file.
      await rename(file, `${file}.stale.${process.pid}`).catch(() => undefined);
      await rm(`${file}.stale.${process.pid}`, { force: true });
      continue;
    }
    if (holder && !warned) {
      opts.onWait?.(holder);
      warned = true;
    }
    if (Date.now() >= deadline) {
      const who = holder
        ? `${holder.op} by ${holder.by} (pid ${holder.pid} on ${holder.host}, since ${holder.at})`
        : 'another process';
      throw new StepFailure(
        `another blue-green operation holds the lock ${file}: ${who}; gave up after ${Math.round(opts.timeoutMs / 1000)}s (input lock-timeout)`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
}

/** Writes `content` only when it differs; used for generated config that is compared later. */
export async function writeIfChanged(file: string, content: string): Promise<boolean> {
  const old = await readFile(file, 'utf8').catch(() => undefined);
  if (old === content) return false;
  await writeFile(file, content);
  return true;
}
