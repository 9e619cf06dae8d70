/**
 * Switching the live route: promote, rollback, recovery of a half-done switch, and the scale-down
 * of a drained colour once its rollback window has passed.
 */
import { StepFailure, UserError } from '../core/errors.js';
import { entry, hookPoint, liveUrl, recordGithub, save, smokeColour, type Ctx } from './context.js';
import { servingReplicas, stopColour } from './engine.js';
import { other, idleColour, type BlueGreenState, type Colour } from './state.js';
import { hostname } from 'node:os';

/**
 * Moves live traffic to `to`: records the pending switch BEFORE touching the LB, switches, smoke-tests
 * the live route (switching back when that fails), then records the switch as done and drains `from`.
 */
export async function switchTo(
  c: Ctx,
  state: BlueGreenState,
  to: Colour,
  op: 'promote' | 'rollback',
): Promise<number> {
  const from = state.live;
  const target = state.colours[to];
  const serving = await servingReplicas(c.s, to);
  if (serving.length < c.s.replicas) {
    throw new StepFailure(
      `colour ${to} has ${serving.length} of ${c.s.replicas} replicas healthy; nothing switched`,
    );
  }
  await c.lb.waitServing(to, 30_000, serving);
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
  await save(c, state);
  await hookPoint(c, 'after-switching');
  const t0 = performance.now();
  try {
    await c.lb.route({ live: to, preview: from }, { [to]: serving });
  } catch (err: unknown) {
    state.pending = undefined;
    await save(c, state, entry(c, op, 'failed', { colour: to, message: (err as Error).message }));
    if (ghId) await recordGithub(c, 'failure', (d) => d.finish(ghId, 'failure', (err as Error).message));
    throw err;
  }
  const switchMs = Math.round(performance.now() - t0);
  c.platform.info(`${op}: the load balancer routes live traffic to ${to} (${switchMs} ms)`);
  await hookPoint(c, 'after-route');
  try {
    await smokeColour(c, to, liveUrl(c));
  } catch (err: unknown) {
    // Like Argo's postPromotionAnalysis: a failing live route goes back to what served before.
    await c.lb.route({ live: from, preview: to });
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
  await finishSwitch(c, state, from, to, op);
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
  await stopColour(c.s, colour);
  state.colours[colour] = { ...state.colours[colour], status: 'stopped', drainUntil: undefined };
  await save(c, state, entry(c, 'scale-down', 'ok', { colour, version: state.colours[colour].version }));
}

/** Stops drained colours whose rollback window (`scale-down-delay`) has passed. */
export async function scaleDownExpired(c: Ctx, state: BlueGreenState): Promise<void> {
  for (const colour of ['blue', 'green'] as const) {
    const st = state.colours[colour];
    if (st.status === 'drained' && st.drainUntil && Date.parse(st.drainUntil) <= Date.now()) {
      await scaleDown(c, state, colour);
    }
  }
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
export async function promote(c: Ctx, state: BlueGreenState): Promise<number> {
  const to = idleColour(state);
  const st = state.colours[to];
  // A drained colour (the one replaced, still in its rollback window) was smoke-tested and can go back live.
  if (st.status !== 'ready' && st.status !== 'drained') {
    throw new UserError(
      `nothing to promote: colour ${to} is ${st.status}${st.message ? ` (${st.message})` : ''}; run deploy first`,
      { field: 'command "promote"' },
    );
  }
  return switchTo(c, state, to, 'promote');
}

/**
 * `rollback`: back to the previous colour — a switch of seconds when it is still running (within
 * `scale-down-delay`), else a redeploy of its version through `redeploy` first.
 */
export async function rollback(
  c: Ctx,
  state: BlueGreenState,
  redeploy: (colour: Colour, image: string, version: string) => Promise<void>,
): Promise<number> {
  const prev = state.previous;
  if (!prev || !state.live || prev !== other(state.live)) {
    throw new UserError('nothing to roll back to: no previous colour is recorded on this host', {
      field: 'command "rollback"',
    });
  }
  const st = state.colours[prev];
  const serving = await servingReplicas(c.s, prev);
  if (st.status !== 'drained' || serving.length < c.s.replicas) {
    if (!st.image) throw new UserError(`cannot roll back: colour ${prev} has no recorded image`);
    c.platform.info(
      `previous colour ${prev} is no longer running: redeploying ${st.image} (${st.version ?? '?'})`,
    );
    await redeploy(prev, st.image, st.version ?? '');
  }
  return switchTo(c, state, prev, 'rollback');
}
