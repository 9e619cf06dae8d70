import { blueGreenInterface } from '../generated/blue-green.js';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
/**
 * The blue-green commands: deploy, promote, rollback, abort, status. Every command that changes
 * anything holds the app's lock, first settles a half-done switch left by a killed process, and
 * stops drained colours whose rollback window is over.
 */
import { StepFailure, UserError } from '../core/errors.js';
import {
  entry,
  previewUrl,
  recordGithub,
  save,
  smokeColour,
  withLock,
  liveUrl,
  type Ctx,
} from './context.js';
import { backendsFor } from './backends.js';
import { emptyState, idleColour, other, type BlueGreenState, type Colour, type Release } from './state.js';
import {
  askReplicas,
  holdsRelease,
  promote,
  recoverPending,
  rollback,
  rollbackTarget,
  scaleDownExpired,
} from './switch.js';
import { confirmReplicas } from './readiness.js';
import type { Routes } from './plan.js';
import { phase } from './journal.js';
import { historyText } from './history.js';

export type Command = 'deploy' | 'promote' | 'rollback' | 'abort' | 'status' | 'destroy';
/** The `command` input's values, from actions/blue-green/action.yml. */
export const COMMANDS: readonly Command[] = blueGreenInterface.inputs.command.options;

/** What a command reports back (set as step outputs). */
export interface CommandResult {
  live: Colour | null;
  idle: Colour;
  liveVersion: string;
  previous: Colour | null;
  switchMs?: number;
  status: StatusReport;
}

/** Starts `colour` with `image`, waits until healthy, routes the preview to it and smoke-tests it there. */
async function deployColour(c: Ctx, state: BlueGreenState, colour: Colour, image: string, version: string) {
  const was = state.colours[colour];
  if (was.status === 'drained') {
    c.platform.warning(
      `replacing drained colour ${colour} (${was.version ?? '?'}): rolling back to it is no longer possible`,
    );
  }
  state.colours[colour] = {
    status: 'deploying',
    image,
    version,
    deployedAt: new Date().toISOString(),
    deployedBy: c.by,
  };
  await save(c, state);
  const ghId = await recordGithub(c, 'start', (d) =>
    d.start('deploy', `${c.o.environment}-preview`, `deploy ${version} to ${colour}`, {
      colour,
      version,
      image,
    }),
  );
  try {
    // One deadline (health-timeout) for Docker health and for every replica answering through the LB.
    const deadline = Date.now() + c.o.healthTimeoutMs;
    const healthy = await c.platform.group(
      `Start ${colour} (${image}, ${c.s.replicas} replicas)`,
      async () => {
        await phase(c.journal, `start ${colour} (${c.s.replicas} replicas)`, async () => {
          await c.engine.ensureNetwork(c.s);
          await c.engine.startColour(c.s, colour, image, version);
        });
        return phase(c.journal, `wait until ${colour} is healthy`, () =>
          c.engine.waitHealthy(c.s, colour, c.o.healthTimeoutMs, (l) => c.platform.info(l)),
        );
      },
    );
    const healthyAt = performance.now();
    await c.platform.group(`Smoke-test ${colour} on the preview route`, async () => {
      const left = () => Math.max(deadline - Date.now(), 5_000);
      await phase(c.journal, `route the preview to ${colour}`, () =>
        c.lb.route({ live: state.live, preview: colour }, { [colour]: healthy }),
      );
      await phase(c.journal, `every ${colour} replica answers through the load balancer`, async () => {
        // A replica the LB never takes up is named, with what the LB says of it, by confirmReplicas.
        await c.lb.waitServing(colour, left(), healthy).catch(() => undefined);
        await confirmReplicas(c.s, c.lb, colour, healthy, Date.now() + left(), (l) => c.platform.info(l));
      });
      const reachableMs = Math.round(performance.now() - healthyAt);
      await phase(c.journal, `smoke-test ${colour} on the preview route`, () =>
        smokeColour(c, colour, previewUrl(c), 'preview'),
      );
      c.platform.info(
        `${colour} readiness: every replica answered through the load balancer ${reachableMs} ms after Docker reported them healthy; preview smoke passed after ${Math.round(performance.now() - healthyAt)} ms`,
      );
    });
  } catch (err: unknown) {
    const message = (err as Error).message;
    const logs = await c.engine.colourLogs(c.s, colour).catch(() => '');
    if (logs) await c.platform.group(`Logs of ${colour}`, async () => c.platform.info(logs));
    state.colours[colour] = { ...state.colours[colour], status: 'failed', message };
    await save(c, state, entry(c, 'deploy', 'failed', { colour, version, message }));
    if (ghId) await recordGithub(c, 'failure', (d) => d.finish(ghId, 'failure', message, previewUrl(c, '/')));
    throw new StepFailure(
      `deploy of ${version} to ${colour} failed, nothing switched (${state.live ?? 'nothing'} keeps serving): ${message}`,
    );
  }
  state.colours[colour] = { ...state.colours[colour], status: 'ready', message: undefined };
  await save(c, state, entry(c, 'deploy', 'ok', { colour, version }));
  if (ghId)
    await recordGithub(c, 'success', (d) =>
      d.finish(ghId, 'success', `${colour} ready for promotion`, previewUrl(c, '/')),
    );
  c.platform.notice(`${version} runs on ${colour}, ready for promotion (preview: ${previewUrl(c, '/')})`);
}

function versionOf(image: string): string {
  const tag = /:([^/:@]+)$/.exec(image.split('@')[0])?.[1];
  return tag ?? image.split('@')[1]?.slice(0, 19) ?? 'latest';
}

export interface StatusReport {
  name: string;
  lb: string;
  live: Colour | null;
  previous: Colour | null;
  /** What the LB really routes (asked from it), or null when it does not answer. */
  routes: Routes | null;
  pending: BlueGreenState['pending'] | null;
  colours: Record<Colour, BlueGreenState['colours'][Colour] & { running: number; healthy: number }>;
  /** What `rollback` returns to, and whether it still runs on the idle colour (else it is redeployed). */
  rollbackTarget: (Release & { running: boolean }) | null;
  problems: string[];
  history: BlueGreenState['history'];
}

/** The truth about the app on this host: state file, LB routing and the replicas that run. */
export async function statusReport(c: Ctx, state: BlueGreenState): Promise<StatusReport> {
  const routes = await c.lb.current().catch(() => null);
  const colours = {} as StatusReport['colours'];
  const problems: string[] = [];
  for (const colour of ['blue', 'green'] as const) {
    const reps = await c.engine.colourReplicas(c.s, colour).catch(() => []);
    const running = reps.filter((r) => r.running).length;
    const healthy = reps.filter((r) => r.running && (r.health === 'healthy' || r.health === 'none')).length;
    colours[colour] = { ...state.colours[colour], running, healthy };
    const st = state.colours[colour].status;
    if (['live', 'ready', 'drained'].includes(st) && healthy < c.s.replicas) {
      problems.push(`${colour} is ${st} but only ${healthy} of ${c.s.replicas} replicas are healthy`);
    }
    if (st === 'failed') problems.push(`${colour} failed: ${state.colours[colour].message ?? 'see history'}`);
  }
  if (state.pending) {
    problems.push(
      `a ${state.pending.op} to ${state.pending.to} is pending since ${state.pending.startedAt} (the next command settles it)`,
    );
  }
  if (routes && routes.live !== state.live) {
    problems.push(
      `the load balancer routes live traffic to ${routes.live ?? 'nothing'}, the state says ${state.live ?? 'nothing'}`,
    );
  }
  if (!routes && state.live) problems.push('the load balancer does not answer');
  // On Swarm: the nodes that are down, silent, or off the recorded routing.
  problems.push(...((await c.lb.problems?.().catch(() => [])) ?? []));
  const failedPreview =
    routes?.preview && state.colours[routes.preview].status === 'failed' ? routes.preview : null;
  if (failedPreview) {
    problems.push(
      `the preview route serves ${failedPreview}, whose deploy of ${state.colours[failedPreview].version ?? '?'} failed (abort stops it)`,
    );
  }
  const target = rollbackTarget(state);
  const idle = state.live ? other(state.live) : null;
  const running =
    !!target && !!idle && holdsRelease(state.colours[idle], target) && colours[idle].healthy >= c.s.replicas;
  return {
    name: c.s.name,
    lb: c.s.lb,
    live: state.live,
    previous: state.previous,
    routes,
    pending: state.pending ?? null,
    colours,
    rollbackTarget: target ? { ...target, running } : null,
    problems,
    history: state.history.slice(-10),
  };
}

/** The status as text, for people. */
export function statusText(r: StatusReport): string {
  const lines = [
    `${r.name} (${r.lb}): live ${r.live ?? 'none'}${r.previous ? `, previous ${r.previous}` : ''}`,
    `load balancer routes: ${r.routes ? `live=${r.routes.live ?? 'none'} preview=${r.routes.preview ?? 'none'}` : 'no answer'}`,
  ];
  for (const colour of ['blue', 'green'] as const) {
    const x = r.colours[colour];
    const when = x.status === 'drained' && x.drainUntil ? `, stops after ${x.drainUntil}` : '';
    lines.push(
      `  ${colour.padEnd(5)} ${x.status.padEnd(9)} ${(x.version ?? '-').padEnd(12)} ${x.healthy}/${x.running} healthy  ${x.image ?? ''}${when}`,
    );
  }
  const t = r.rollbackTarget;
  const idle = r.live === 'blue' ? 'green' : 'blue';
  lines.push(
    t
      ? `rollback target: ${t.version} (${t.image}), ${t.running ? `running on ${idle}: rollback switches to it` : `no longer running (${idle} holds ${r.colours[idle].version ?? 'nothing'}): rollback redeploys it`}`
      : 'rollback target: none recorded',
  );
  for (const p of r.problems) lines.push(`problem: ${p}`);
  lines.push(historyText(r.history));
  return lines.join('\n');
}

/** Runs one command; returns what the step reports as outputs. */
/**
 * For `status`: the LB kind and host ports the app was last set up with, where the inputs do not
 * name them (a status without `--port` must ask the ports the LB really listens on).
 */
async function fromState(c: Ctx): Promise<Ctx> {
  const state = await c.store.load(c.s);
  const from = state.ports;
  const s = {
    ...c.s,
    ...(from && !c.o.given.port ? { port: from.port } : {}),
    ...(from && !c.o.given.previewPort ? { previewPort: from.previewPort } : {}),
    ...(from && !c.o.given.bindAddress ? { bindAddress: from.bindAddress } : {}),
    ...(!c.o.given.lb && state.colours && state.history.length ? { lb: state.lb } : {}),
  };
  if (
    s.port === c.s.port &&
    s.previewPort === c.s.previewPort &&
    s.lb === c.s.lb &&
    s.bindAddress === c.s.bindAddress
  )
    return c;
  return {
    ...c,
    s,
    ...backendsFor(
      s,
      (l) => c.platform.warning(l),
      (l) => c.platform.info(l),
    ),
  };
}

export async function runCommand(c: Ctx, command: Command): Promise<CommandResult> {
  let switchMs: number | undefined;
  const result = async (state: BlueGreenState): Promise<CommandResult> => ({
    live: state.live,
    idle: idleColour(state),
    liveVersion: state.live ? (state.colours[state.live].version ?? '') : '',
    previous: state.previous,
    switchMs,
    status: await phase(c.journal, 'read the status', () => statusReport(c, state)),
  });
  if (command === 'status') {
    c = await fromState(c);
    // Status settles a half-done switch and overdue scale-downs when nobody holds the lock; else it only reads.
    const settled = await withLock({ ...c, o: { ...c.o, lockTimeoutMs: 0 } }, 'status', async (state) => {
      if (state.pending) await recoverPending(c, state);
      await scaleDownExpired(c, state);
      return result(state);
    }).catch((err: unknown) => {
      if (err instanceof StepFailure && /holds the lock/.test(err.message)) return undefined;
      throw err;
    });
    return settled ?? result(await c.store.load(c.s));
  }
  if (command === 'destroy') {
    // Takes the app off the host: both colours, the LB and the network. The state keeps its history,
    // so `status` afterwards says what was there and when it went.
    return withLock(c, command, async (state) => {
      await c.engine.removeAll(c.s);
      // Generated LB and compose files go too: a later LB must not start on addresses of replicas
      // that no longer exist (they may belong to another network by then).
      await Promise.all(
        ['lb', 'compose'].map((d) => rm(join(c.s.stateDir, d), { recursive: true, force: true })),
      );
      const gone = { ...emptyState(c.s.name, c.s.lb), history: state.history };
      await save(c, gone, entry(c, 'destroy', 'ok'));
      c.platform.info(`${c.s.name}: both colours, the load balancer and the network are removed`);
      return result(gone);
    });
  }
  return withLock(c, command, async (state) => {
    const first = command === 'deploy' && (await isFirstDeploy(c, state));
    // A switch asks Docker for both colours' replicas while the load balancer is checked (issue 17:
    // what happens before the switch is what a user waits for). Not used if a colour was stopped since.
    const early = command === 'promote' || command === 'rollback' ? askReplicas(c) : undefined;
    let stopped = false;
    await phase(c.journal, 'check the load balancer, settle what is left over', async () => {
      await c.lb.ensure({ live: state.live, preview: idleColour(state) }).catch(undoFirstDeploy(c, first));
      const ports = { port: c.s.port, previewPort: c.s.previewPort, bindAddress: c.s.bindAddress };
      if (JSON.stringify(state.ports) !== JSON.stringify(ports)) {
        state.ports = ports;
        await save(c, state);
      }
      await recoverPending(c, state);
      stopped = await scaleDownExpired(c, state);
    });
    const asked =
      early && !stopped ? await phase(c.journal, "both colours' replicas from Docker", () => early) : {};
    const redeploy = (colour: Colour, image: string, version: string) =>
      deployColour(c, state, colour, image, version);
    switch (command) {
      case 'deploy': {
        if (!c.o.image) throw new UserError('is required for deploy', { field: 'input "image"' });
        await redeploy(idleColour(state), c.o.image, c.o.version ?? versionOf(c.o.image)).catch(
          undoFirstDeploy(c, first),
        );
        if (c.o.autoPromote) switchMs = await promote(c, state);
        break;
      }
      case 'promote':
        switchMs = await promote(c, state, asked);
        break;
      case 'rollback':
        switchMs = await rollback(c, state, redeploy, asked);
        break;
      case 'abort': {
        const idle = idleColour(state);
        const st = state.colours[idle];
        if (!['ready', 'failed', 'deploying'].includes(st.status)) {
          throw new UserError(`nothing to abort: colour ${idle} is ${st.status}`, {
            field: 'command "abort"',
          });
        }
        await c.engine.stopColour(c.s, idle);
        await c.lb.route({ live: state.live, preview: null });
        state.colours[idle] = { ...st, status: 'stopped', message: 'aborted' };
        await save(c, state, entry(c, 'abort', 'ok', { colour: idle, version: st.version }));
        c.platform.info(
          `aborted: ${idle} (${st.version ?? '?'}) stopped; ${state.live ?? 'nothing'} stays live`,
        );
        break;
      }
    }
    return result(state);
  });
}

/** True when nothing of the app is on this host yet: no LB running, nothing live or deployed. */
async function isFirstDeploy(c: Ctx, state: BlueGreenState): Promise<boolean> {
  if (state.live) return false;
  if (
    (['blue', 'green'] as const).some((k) => ['ready', 'drained', 'live'].includes(state.colours[k].status))
  )
    return false;
  return !(await c.engine.lbExists(c.s));
}

/**
 * A failed first deploy leaves nothing behind: the LB container, the network, the colour it started
 * and the generated files go (the state keeps the failed entry). Returns a `catch` handler that
 * rethrows; it does nothing when this was not the first deploy.
 */
function undoFirstDeploy(c: Ctx, first: boolean): (err: unknown) => Promise<never> {
  return async (err: unknown) => {
    if (first) {
      c.platform.info(
        `first deploy of ${c.s.name} failed: removing the load balancer and network it created`,
      );
      await c.engine
        .removeAll(c.s)
        .catch((e: unknown) => c.platform.warning(`cleanup: ${(e as Error).message}`));
      await Promise.all(
        ['lb', 'compose'].map((d) => rm(join(c.s.stateDir, d), { recursive: true, force: true })),
      );
    }
    throw err;
  };
}

export { liveUrl };
