/**
 * Switching the live route: promote, rollback, recovery of a half-done switch, and the scale-down
 * of a drained colour once its rollback window has passed.
 */
import { StepFailure } from '../core/errors.js';
import { entry, hookPoint, liveUrl, recordGithub, save, smokeColour, type Ctx } from './context.js';
import type { Replica } from './engine.js';
import {
  other,
  idleColour,
  type BlueGreenState,
  type Colour,
  type ColourState,
  type Release,
} from './state.js';
import { hostname } from 'node:os';
import { phase, type JournalSwitch } from './journal.js';

/** How long a single-host LB may take to list the replicas it is told of (it answers within a second). */
const LB_TAKE_UP_MS = 30_000;

/**
 * `found` when it is enough. Otherwise, where the orchestrator replaces lost replicas by itself (a
 * node left or restarted on Swarm), what it serves after waiting for that, up to health-timeout: a
 * user who promotes right after a node came back expects the swarm to heal, not an error to retry.
 */
async function afterRescheduling(c: Ctx, colour: Colour, found: Replica[]): Promise<Replica[]> {
  if (found.length >= c.s.replicas || !c.engine.rescheduled) return found;
  c.platform.info(
    `colour ${colour} has ${found.length} of ${c.s.replicas} replicas healthy: waiting up to ${Math.round(c.o.healthTimeoutMs / 1000)}s (input health-timeout) while the swarm replaces the others`,
  );
  return c.engine.rescheduled(c.s, colour, c.o.healthTimeoutMs, (l) => c.platform.info(l));
}

/**
 * Moves live traffic to `to`: records the pending switch BEFORE touching the LB, switches, smoke-tests
 * the live route (switching back when that fails), then records the switch as done and drains `from`.
 */
export async function switchTo(
  c: Ctx,
  state: BlueGreenState,
  to: Colour,
  op: 'promote' | 'rollback',
  /** Healthy replicas per colour that the caller has just asked Docker for (not asked again). */
  asked: Asked = {},
): Promise<number> {
  const from = state.live;
  const target = state.colours[to];
  const known = await phase(c.journal, `check ${to} before switching`, async () => {
    // Both colours' replicas at once (each is a docker ps and a docker inspect): the route lists
    // the old colour's too, for the preview, and would otherwise ask Docker for them after this.
    const [first, old] = await Promise.all([
      asked[to] ?? c.engine.servingReplicas(c.s, to),
      from ? (asked[from] ?? c.engine.servingReplicas(c.s, from)) : Promise.resolve(undefined),
    ]);
    const found = await afterRescheduling(c, to, first);
    if (found.length < c.s.replicas) {
      const waited = found === first ? '' : ` after waiting for the swarm to replace the others`;
      throw new StepFailure(
        `colour ${to} has ${found.length} of ${c.s.replicas} replicas healthy${waited}; nothing switched`,
      );
    }
    // On Swarm each node's LB finds the replicas in its own DNS, which can lag tens of seconds behind a
    // node that came back: wait as long as the swarm may take to heal (health-timeout), not a fixed 30 s.
    await c.lb.waitServing(
      to,
      c.engine.rescheduled ? Math.max(LB_TAKE_UP_MS, c.o.healthTimeoutMs) : LB_TAKE_UP_MS,
      found,
    );
    return { [to]: found, ...(from && old ? { [from]: old } : {}) };
  });
  const ghId = await recordGithub(c, 'start', (d) =>
    d.start(op, c.o.environment, `${op} ${c.s.name} to ${to} (${target.version ?? '?'})`, {
      colour: to,
      version: target.version ?? '',
      image: target.image ?? '',
    }),
  );
  state.pending = {
    op,
    from,
    to,
    startedAt: new Date().toISOString(),
    by: c.by,
    pid: process.pid,
    host: hostname(),
  };
  await phase(c.journal, 'record the pending switch', () => save(c, state));
  await hookPoint(c, 'after-switching');
  const t0 = performance.now();
  try {
    await phase(c.journal, `switch the load balancer to ${to}`, () =>
      c.lb.route({ live: to, preview: from }, known),
    );
  } catch (err: unknown) {
    state.pending = undefined;
    await save(c, state, entry(c, op, 'failed', { colour: to, message: (err as Error).message }));
    if (ghId) await recordGithub(c, 'failure', (d) => d.finish(ghId, 'failure', (err as Error).message));
    throw err;
  }
  const switchMs = Math.round(performance.now() - t0);
  const switched: JournalSwitch = {
    op,
    from,
    to,
    at: new Date().toISOString(),
    switchMs,
    sinceStartMs: c.journal?.elapsed() ?? 0,
  };
  c.journal?.switches.push(switched);
  c.platform.info(`${op}: the load balancer routes live traffic to ${to} (${switchMs} ms)`);
  await hookPoint(c, 'after-route');
  try {
    await phase(c.journal, `smoke-test ${to} on the live route`, () =>
      smokeColour(c, to, liveUrl(c), 'live'),
    );
  } catch (err: unknown) {
    // Like Argo's postPromotionAnalysis: a failing live route goes back to what served before.
    await phase(c.journal, `switch back to ${from ?? 'nothing'}`, () =>
      c.lb.route({ live: from, preview: to }),
    );
    switched.reverted = true;
    state.pending = undefined;
    state.colours[to] = { ...target, status: 'failed', message: (err as Error).message };
    await save(
      c,
      state,
      entry(c, op, 'failed', {
        colour: to,
        message: `live smoke failed; switched back to ${from ?? 'nothing'}`,
      }),
    );
    if (ghId)
      await recordGithub(c, 'failure', (d) =>
        d.finish(ghId, 'failure', 'live smoke test failed; switched back'),
      );
    throw new StepFailure(`${(err as Error).message}; switched live traffic back to ${from ?? 'nothing'}`);
  }
  await phase(c.journal, 'record the switch', () => finishSwitch(c, state, from, to, op));
  if (ghId) {
    await recordGithub(c, 'success', (d) =>
      d.finish(ghId, 'success', `${to} is live (${target.version ?? '?'})`),
    );
    const replaced = from ? state.colours[from].deploymentId : undefined;
    if (replaced) await recordGithub(c, 'inactive', (d) => d.inactive(replaced, `replaced by ${to}`));
    state.colours[to].deploymentId = ghId;
    await save(c, state);
  }
  return switchMs;
}

/** Records a switch as done: `to` live, `from` drained until the rollback window closes (or stopped now). */
async function finishSwitch(c: Ctx, state: BlueGreenState, from: Colour | null, to: Colour, op: string) {
  const now = new Date();
  state.live = to;
  state.previous = from;
  state.colours[to] = {
    ...state.colours[to],
    status: 'live',
    promotedAt: now.toISOString(),
    message: undefined,
    drainUntil: undefined,
  };
  state.pending = undefined;
  const was = from ? state.colours[from] : undefined;
  state.previousRelease =
    from && was?.image
      ? { image: was.image, version: was.version ?? '', colour: from, until: now.toISOString() }
      : undefined;
  if (from) {
    state.colours[from] = {
      ...state.colours[from],
      status: 'drained',
      drainUntil: new Date(now.getTime() + c.o.scaleDownDelayMs).toISOString(),
    };
  }
  await save(c, state, entry(c, op, 'ok', { colour: to, version: state.colours[to].version }));
  if (from && c.o.scaleDownDelayMs === 0) await scaleDown(c, state, from);
}

async function scaleDown(c: Ctx, state: BlueGreenState, colour: Colour): Promise<void> {
  c.platform.info(`stopping drained colour ${colour} (rollback window over)`);
  await c.engine.stopColour(c.s, colour);
  state.colours[colour] = { ...state.colours[colour], status: 'stopped', drainUntil: undefined };
  await save(c, state, entry(c, 'scale-down', 'ok', { colour, version: state.colours[colour].version }));
}

/** Stops drained colours whose rollback window (`scale-down-delay`) has passed; true when it stopped one. */
export async function scaleDownExpired(c: Ctx, state: BlueGreenState): Promise<boolean> {
  let stopped = false;
  for (const colour of ['blue', 'green'] as const) {
    const st = state.colours[colour];
    if (st.status === 'drained' && st.drainUntil && Date.parse(st.drainUntil) <= Date.now()) {
      await scaleDown(c, state, colour);
      stopped = true;
    }
  }
  return stopped;
}

/** Replicas per colour, as Docker reports them. */
export type Asked = Partial<Record<Colour, Replica[]>>;

/**
 * The healthy replicas of both colours, asked from Docker at once. promote and rollback start this
 * as soon as they hold the lock, while the load balancer is checked, so the switch does not wait
 * for Docker afterwards; nothing is lost on an error (the switch then asks again itself).
 */
export function askReplicas(c: Ctx): Promise<Asked> {
  return Promise.all([c.engine.servingReplicas(c.s, 'blue'), c.engine.servingReplicas(c.s, 'green')]).then(
    ([blue, green]) => ({ blue, green }),
    () => ({}),
  );
}

/**
 * Finds a switch that a killed process left half-done (state says `pending`) and settles it from
 * what the LB really routes: already on the new colour → record it as done; still on the old one →
 * put the LB's files back in step with the old routing and clear the pending switch. Says so.
 */
export async function recoverPending(c: Ctx, state: BlueGreenState): Promise<void> {
  const p = state.pending;
  if (!p) return;
  await c.lb.ensure({ live: p.from, preview: p.to });
  const routes = await c.lb.current();
  const what = `a half-done ${p.op} to ${p.to} (started ${p.startedAt} by ${p.by}, pid ${p.pid} on ${p.host})`;
  if (routes.live === p.to) {
    c.platform.warning(
      `found ${what}: the load balancer already routes live traffic to ${p.to}; finished it`,
    );
    await finishSwitch(c, state, p.from, p.to, `${p.op} (recovered)`);
    state.history[state.history.length - 1].outcome = 'recovered';
  } else {
    c.platform.warning(
      `found ${what}: the load balancer still routes live traffic to ${routes.live ?? 'nothing'}; reverted it (${p.to} stays ready for promotion)`,
    );
    await c.lb.route({ live: p.from, preview: p.to });
    state.pending = undefined;
    await save(c, state, entry(c, `${p.op} (reverted)`, 'recovered', { colour: p.to }));
  }
  await save(c, state);
}

/** `promote`: the idle colour, deployed and smoke-tested, becomes live. */
export async function promote(c: Ctx, state: BlueGreenState, asked: Asked = {}): Promise<number> {
  const to = idleColour(state);
  const st = state.colours[to];
  // A drained colour (the one replaced, still in its rollback window) was smoke-tested and can go back live.
  if (st.status !== 'ready' && st.status !== 'drained') {
    // A refused state, not bad input: exit 1 (StepFailure) with the reason.
    throw new StepFailure(
      `nothing to promote: colour ${to} is ${st.status}${st.message ? ` (${st.message})` : ''}; run deploy first`,
    );
  }
  return switchTo(c, state, to, 'promote', asked);
}

/** The release `rollback` returns to: the one live before the current one, as recorded. */
export function rollbackTarget(state: BlueGreenState): Release | undefined {
  if (state.previousRelease) return state.previousRelease;
  // State written before releases were recorded: only a drained colour still surely holds it.
  const prev = state.previous;
  const st = prev ? state.colours[prev] : undefined;
  return prev && st?.status === 'drained' && st.image
    ? { image: st.image, version: st.version ?? '', colour: prev, until: st.drainUntil ?? '' }
    : undefined;
}

/** True when `slot` holds exactly `release` in a state it can go live from. */
export function holdsRelease(slot: ColourState, release: Release): boolean {
  return (
    slot.image === release.image &&
    (slot.version ?? '') === release.version &&
    (slot.status === 'drained' || slot.status === 'ready')
  );
}

const describeSlot = (colour: Colour, st: ColourState) =>
  st.status === 'absent'
    ? `${colour} holds nothing`
    : `${colour} now holds ${st.version ?? '?'} (${st.image ?? 'no image'}, ${st.status})`;

/**
 * `rollback`: back to the release that was live before the current one — its recorded image and
 * version, never whatever the idle colour holds now. A switch of seconds when that release still
 * runs on the idle colour; else, when `allow-redeploy` permits, a redeploy of it there (started,
 * health-checked and smoke-tested on the preview route through `redeploy`) and then the switch;
 * else a refusal (exit 1) that says what is in the way.
 */
export async function rollback(
  c: Ctx,
  state: BlueGreenState,
  redeploy: (colour: Colour, image: string, version: string) => Promise<void>,
  asked: Asked = {},
): Promise<number> {
  const target = rollbackTarget(state);
  const live = state.live;
  if (!live || !target) {
    throw new StepFailure(
      'nothing to roll back to: no release is recorded as live before the current one on this host',
    );
  }
  const idle = other(live);
  const slot = state.colours[idle];
  const liveOne = `${live} (${state.colours[live].version ?? '?'}) stays live`;
  const release = `${target.version} (${target.image})`;
  if (holdsRelease(slot, target)) {
    // Both colours at once: the switch needs the live one's replicas too (for the preview route).
    const [first, liveOnes] = await Promise.all([
      asked[idle] ?? c.engine.servingReplicas(c.s, idle),
      asked[live] ?? c.engine.servingReplicas(c.s, live),
    ]);
    const serving = await afterRescheduling(c, idle, first);
    if (serving.length >= c.s.replicas) {
      c.platform.info(`rolling back to ${release}, still running on ${idle}`);
      return switchTo(c, state, idle, 'rollback', { [idle]: serving, [live]: liveOnes });
    }
  }
  const inTheWay = holdsRelease(slot, target)
    ? `${idle} still holds it but only ${(await c.engine.servingReplicas(c.s, idle)).length} of ${c.s.replicas} replicas are healthy`
    : describeSlot(idle, slot);
  if (!c.o.allowRedeploy) {
    throw new StepFailure(
      `cannot roll back to ${release} without redeploying it: ${inTheWay}; nothing switched, ${liveOne} (input allow-redeploy is false)`,
    );
  }
  c.platform.info(
    `rolling back to ${release}, which no longer runs: ${inTheWay}; redeploying ${release} to ${idle}, smoke-testing it, then switching`,
  );
  await redeploy(idle, target.image, target.version);
  return switchTo(c, state, idle, 'rollback');
}
