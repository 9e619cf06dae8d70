/**
 * State and lock of a blue-green app on Docker Swarm, kept in the cluster (the managers' Raft log),
 * so a command run from any manager, by any runner, reads the same truth.
 *
 * - State: Swarm configs `<app>-bg-state-<seq>` holding the JSON record. Configs cannot change, so
 *   a save creates the next sequence number and removes the older ones; creating a name that
 *   exists fails, so two writers can never both think they wrote `seq + 1`.
 * - Lock: the config `<app>-bg-lock` holding its holder (who, where, pid, since when, what). Its
 *   creation is the acquisition, atomic through Raft; removal (by id) the release. A lock whose
 *   holder is dead on this host, or older than the stale limit, is taken over by removing that
 *   config by its id, which only one of several waiters can do.
 */
import { hostname } from 'node:os';
import { StepFailure } from '../../core/errors.js';
import { DockerApiError, filters } from '../../docker/api.js';
import type { Store } from '../seams.js';
import type { AppSettings } from '../plan.js';
import { emptyState, isStale, type BlueGreenState, type LockInfo, type LockOptions } from '../state.js';
import { apiFor } from './engine.js';
import { lockName, SWARM_LABEL, stateName } from './plan.js';

const HISTORY_LIMIT = 100;

interface ApiConfig {
  ID: string;
  Spec: { Name: string; Labels?: Record<string, string>; Data?: string };
}

/** Sequence numbers last read or written, per app, in this process (a save writes the next one). */
const seqs = new Map<string, number>();
/** Records known to exist, per app (id and sequence), so a save removes old ones without listing. */
const known = new Map<string, { id: string; seq: number }[]>();

/**
 * Creates a config (its creation is what makes a state record or the lock ours), retried while the
 * managers elect a leader. A try whose answer was lost may have been committed anyway: a retry that
 * then finds the name taken takes the config as its own only when it holds exactly this data
 * (the lock's data names this process and the millisecond it asked). Throws the 409 otherwise.
 */
async function createConfig(
  s: AppSettings,
  spec: { Name: string; Labels: Record<string, string>; Data: string },
) {
  const api = apiFor(s);
  let tries = 0;
  return api.retrying(`create Swarm config ${spec.Name}`, async () => {
    try {
      return (await api.post<{ ID: string }>('/configs/create', spec)).ID;
    } catch (err: unknown) {
      if (tries++ > 0 && err instanceof DockerApiError && err.status === 409) {
        const cfg = await api.find<ApiConfig>(`/configs/${encodeURIComponent(spec.Name)}`);
        if (cfg?.Spec.Data === spec.Data) return cfg.ID;
      }
      throw err;
    }
  });
}

async function records(s: AppSettings): Promise<{ id: string; seq: number }[]> {
  const list = await apiFor(s).get<ApiConfig[]>(
    `/configs?${filters({ label: [`${SWARM_LABEL.stateOf}=${s.name}`] })}`,
  );
  return list
    .map((c) => ({ id: c.ID, seq: Number(c.Spec.Labels?.[SWARM_LABEL.seq] ?? NaN) }))
    .filter((r) => Number.isInteger(r.seq))
    .sort((a, b) => a.seq - b.seq);
}

async function load(s: AppSettings): Promise<BlueGreenState> {
  const all = await records(s);
  const last = all.at(-1);
  seqs.set(s.name, last?.seq ?? 0);
  known.set(s.name, all);
  if (!last) return emptyState(s.name, s.lb);
  const cfg = await apiFor(s).get<ApiConfig>(`/configs/${last.id}`);
  try {
    const state = JSON.parse(Buffer.from(cfg.Spec.Data ?? '', 'base64').toString('utf8')) as BlueGreenState;
    if (state.schema !== 1 || !state.colours) throw new Error('unknown schema');
    return state;
  } catch (err: unknown) {
    throw new StepFailure(
      `Swarm config ${cfg.Spec.Name}: corrupt blue-green state (${(err as Error).message}); remove it to fall back to the one before`,
    );
  }
}

async function save(s: AppSettings, state: BlueGreenState, entry?: BlueGreenState['history'][number]) {
  if (entry) state.history = [...state.history, entry].slice(-HISTORY_LIMIT);
  state.updatedAt = new Date().toISOString();
  const seq = (seqs.get(s.name) ?? (await records(s)).at(-1)?.seq ?? 0) + 1;
  const api = apiFor(s);
  let made: { ID: string };
  try {
    made = {
      ID: await createConfig(s, {
        Name: stateName(s, seq),
        Labels: { [SWARM_LABEL.stateOf]: s.name, [SWARM_LABEL.seq]: String(seq) },
        Data: Buffer.from(JSON.stringify(state)).toString('base64'),
      }),
    };
  } catch (err: unknown) {
    if (err instanceof DockerApiError && err.status === 409) {
      throw new StepFailure(
        `the blue-green state of ${s.name} was written by someone else meanwhile (Swarm config ${stateName(s, seq)} exists): was the lock taken over?`,
      );
    }
    throw err;
  }
  seqs.set(s.name, seq);
  // Older records go; the one before stays, so a reader between the two calls still finds one.
  const all = [...(known.get(s.name) ?? (await records(s))), { id: made.ID, seq }];
  await Promise.all(all.filter((r) => r.seq < seq - 1).map((r) => api.delete(`/configs/${r.id}`)));
  known.set(
    s.name,
    all.filter((r) => r.seq >= seq - 1),
  );
}

async function readHolder(s: AppSettings): Promise<{ id: string; info?: LockInfo } | undefined> {
  const cfg = await apiFor(s).find<ApiConfig>(`/configs/${encodeURIComponent(lockName(s))}`);
  if (!cfg) return undefined;
  try {
    return {
      id: cfg.ID,
      info: JSON.parse(Buffer.from(cfg.Spec.Data ?? '', 'base64').toString()) as LockInfo,
    };
  } catch {
    return { id: cfg.ID };
  }
}

async function lock(s: AppSettings, op: string, by: string, opts: LockOptions) {
  const api = apiFor(s);
  const me: LockInfo = { pid: process.pid, host: hostname(), at: new Date().toISOString(), op, by };
  const deadline = Date.now() + opts.timeoutMs;
  let warned = false;
  for (;;) {
    try {
      const id = await createConfig(s, {
        Name: lockName(s),
        Labels: { [SWARM_LABEL.lockOf]: s.name },
        Data: Buffer.from(JSON.stringify(me)).toString('base64'),
      });
      return async () => {
        await api.delete(`/configs/${id}`);
      };
    } catch (err: unknown) {
      if (!(err instanceof DockerApiError && err.status === 409)) throw err;
    }
    const holder = await readHolder(s);
    if (holder?.info && isStale(holder.info, opts.staleMs ?? 3_600_000)) {
      // By id: a second waiter's removal of the same stale lock fails instead of removing a new one.
      await api.delete(`/configs/${holder.id}`);
      continue;
    }
    if (holder?.info && !warned) {
      opts.onWait?.(holder.info);
      warned = true;
    }
    if (Date.now() >= deadline) {
      const h = holder?.info;
      const who = h ? `${h.op} by ${h.by} (pid ${h.pid} on ${h.host}, since ${h.at})` : 'another process';
      throw new StepFailure(
        `another blue-green operation holds the lock (Swarm config ${lockName(s)}): ${who}; gave up after ${Math.round(opts.timeoutMs / 1000)}s (input lock-timeout)`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
}

export const swarmStore: Store = {
  where: (s) => `the swarm (configs ${stateName(s, 0).replace(/0$/, '<n>')})`,
  load,
  save,
  lock,
};
