import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { ExecError } from '../../core/exec.js';
import { StepFailure, UserError } from '../../core/errors.js';
import { docker } from '../../docker/cli.js';
import type { Platform } from '../../platform/types.js';
import { checkServices } from '../model.js';
import { runCompose, sessionModel, type Session } from '../session.js';
import { activeServices } from '../up.js';
import { urlAnswers } from '../wait.js';
import { renderStackFile } from './deployfile.js';
import { collectSwarmLogs, swarmTeardown, tailTaskLog } from './lifecycle.js';
import {
  describeSwarmService,
  serviceTasks,
  stackServices,
  swarmNodes,
  swarmStates,
  type SwarmServiceState,
} from '../../docker/swarm.js';

/** A service whose tasks failed this often since the deploy began is crash-looping, not starting. */
export const MAX_TASK_FAILURES = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The engine must be a swarm manager: say plainly which engine is not (DOCKER_HOST or the local one). */
export async function checkManager(dockerHost: string | undefined): Promise<void> {
  const r = await docker(['info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'], {
    check: false,
  });
  const host = dockerHost;
  const where = host ? `DOCKER_HOST=${host}` : 'the local Docker engine';
  if (r.code !== 0) {
    throw new StepFailure(`engine swarm: cannot reach ${where}: ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
  }
  const [state, control] = r.stdout.trim().split(' ');
  if (control !== 'true') {
    throw new UserError(
      `engine swarm: ${where} is not a swarm manager (swarm state ${state || 'unknown'}); point DOCKER_HOST at a manager`,
      { field: 'input "engine"' },
    );
  }
}

/** The stack file path for a session: beside the (unused) override file, in the project's temp folder. */
export function stackFilePath(s: Session): string {
  return join(dirname(s.overrideFile), 'stack.yml');
}

/** compose's merged and interpolated model (`.env`, env files, every `-f`), parsed. */
async function mergedConfig(s: Session): Promise<Record<string, unknown>> {
  const r = await runCompose(s, ['config'], { check: false });
  if (r.code !== 0) {
    const msg = r.stderr.trim().split('\n').filter(Boolean).at(-1) ?? `exited ${r.code}`;
    throw new UserError(`compose rejects the configuration: ${msg.replace(/^ERROR:\s*/, '')}`, {
      file: s.display.join(', '),
    });
  }
  return parse(r.stdout) as Record<string, unknown>;
}

/** Validates, writes the stack file, and returns the services it deploys. */
async function prepareStackFile(s: Session, platform: Platform): Promise<string[]> {
  const model = await sessionModel(s);
  checkServices(model, Object.keys(s.inputs.scale), 'scale');
  checkServices(model, Object.keys(s.inputs.images), 'images');
  const active = activeServices(model, s.inputs.profiles);
  const config = await mergedConfig(s);
  const { project, owner, images, scale } = s.inputs;
  const { text, ignored } = renderStackFile({
    config,
    active,
    project,
    owner,
    created: Math.floor(Date.now() / 1000),
    images,
    scale,
  });
  if (ignored.length)
    platform.info(`Not used on a swarm (the stack file format has no such key): ${ignored.join(', ')}`);
  await mkdir(dirname(stackFilePath(s)), { recursive: true });
  await writeFile(stackFilePath(s), text);
  platform.debug(`stack file: ${stackFilePath(s)}`);
  return active;
}

export type SwarmWait =
  | { ok: true; states: SwarmServiceState[] }
  | { ok: false; why: string; failing: SwarmServiceState[]; states: SwarmServiceState[] };

/**
 * Polls the stack's services and tasks until every service runs its expected tasks (healthy, where a
 * healthcheck exists) and the ready URL answers; a service fails when its tasks failed
 * MAX_TASK_FAILURES times since `sinceMs` or its update paused / rolled back. Prints a line per change.
 */
export async function waitForSwarm(
  s: Session,
  platform: Platform,
  sinceMs: number,
  signal: AbortSignal,
): Promise<SwarmWait> {
  const start = Date.now();
  let shown = new Map<string, string>();
  let lastLine = start;
  let urlOk = s.inputs.readyUrl === undefined;
  let states: SwarmServiceState[] = [];
  for (;;) {
    const elapsed = Date.now() - start;
    states = await stackStates(s.inputs.project, sinceMs);
    const t = `[${(elapsed / 1000).toFixed(1)}s]`;
    const current = new Map(states.map((st) => [st.service, describeSwarmService(st)]));
    const changed = states.filter((st) => shown.get(st.service) !== current.get(st.service));
    for (const st of changed) platform.info(`${t} ${current.get(st.service)}`);
    if (!changed.length && Date.now() - lastLine >= 10_000) {
      platform.info(
        `${t} still waiting: ${
          states
            .filter((st) => !st.ready)
            .map((st) => current.get(st.service))
            .join('; ') || 'for the ready URL'
        }`,
      );
      lastLine = Date.now();
    }
    if (changed.length) lastLine = Date.now();
    shown = current;
    const failing = states.filter((st) => st.failed.length >= MAX_TASK_FAILURES || st.updateProblem);
    if (failing.length) {
      const why = failing
        .map(
          (st) =>
            `service ${st.service}: ${st.updateProblem ?? `${st.failed.length} task(s) failed, last: ${st.failed.at(-1)?.error ?? 'no reason given'}`}`,
        )
        .join('; ');
      return { ok: false, why, failing, states };
    }
    const allReady = states.length > 0 && states.every((st) => st.ready);
    if (allReady && !urlOk && s.inputs.readyUrl) urlOk = await urlAnswers(s.inputs.readyUrl);
    if (allReady && urlOk) return { ok: true, states };
    if (elapsed >= s.inputs.timeoutMs || signal.aborted) {
      const waiting = states.filter((st) => !st.ready);
      const why = waiting.length
        ? `timed out after ${Math.round(elapsed / 1000)}s waiting for ${waiting.map((st) => describeSwarmService(st)).join('; ')}`
        : `timed out after ${Math.round(elapsed / 1000)}s waiting for ${s.inputs.readyUrl ?? 'the services'} to answer`;
      return { ok: false, why, failing: waiting, states };
    }
    await sleep(500);
  }
}

/** Each service of a stack with its tasks and the nodes they run on, as `swarmStates` groups them. */
export async function stackStates(stack: string, sinceMs = 0): Promise<SwarmServiceState[]> {
  const services = await stackServices(stack);
  const [tasks, nodes] = await Promise.all([serviceTasks(services.map((x) => x.ID)), swarmNodes()]);
  return swarmStates(stack, services, tasks, new Map([...nodes].map(([id, n]) => [id, n.hostname])), sinceMs);
}

/** Prints the error and last log lines of the latest failed (or else waiting) task of each failing service. */
async function showFailing(
  s: Session,
  failing: readonly SwarmServiceState[],
  platform: Platform,
): Promise<void> {
  for (const st of failing) {
    const task = st.failed.at(-1) ?? st.waiting.at(-1);
    if (!task) continue;
    await platform.group(
      `Last ${s.inputs.logLines} log lines of ${task.name} on ${task.node} (${task.state}${task.error ? `: ${task.error}` : ''})`,
      async () => {
        const lines = await tailTaskLog(task.id, s.inputs.logLines);
        for (const line of lines) platform.info(line);
        if (!lines.length) platform.info('(no output)');
      },
    );
  }
}

/**
 * `up` on a swarm: validate, write the stack file, `docker stack deploy`, wait for convergence with
 * per-service progress. On failure: the failing tasks' errors and logs, all logs saved, the stack removed,
 * and a `StepFailure` naming the service and why. Returns the ready services.
 */
export async function deploySwarm(
  s: Session,
  platform: Platform,
  signal: AbortSignal,
): Promise<SwarmServiceState[]> {
  await checkManager(s.inputs.env.DOCKER_HOST);
  await platform
    .group('Validate the compose files', () => prepareStackFile(s, platform))
    .catch(async (err: unknown) => {
      await rm(dirname(stackFilePath(s)), { recursive: true, force: true });
      throw err;
    });
  const since = Date.now() - 2000; // engine and runner clocks differ a little
  let result: SwarmWait;
  try {
    result = await platform.group(`Deploy stack ${s.inputs.project} (docker stack deploy)`, async () => {
      await docker(
        ['stack', 'deploy', '--with-registry-auth', '--prune', '-c', stackFilePath(s), s.inputs.project],
        {
          cwd: s.directory,
          signal,
          onStdout: (l) => platform.info(l),
          onStderr: (l) => platform.info(l),
        },
      ).catch((err: unknown) => {
        const why =
          err instanceof ExecError ? (err.result.stderr.trim().split('\n').at(-1) ?? '') : String(err);
        throw new StepFailure(`docker stack deploy of ${s.inputs.project} failed: ${why}`);
      });
      return waitForSwarm(s, platform, since, signal);
    });
  } catch (err: unknown) {
    await collectSwarmLogs(s, platform);
    await swarmTeardown(s, platform);
    throw err;
  }
  if (result.ok) return result.states;
  await showFailing(s, result.failing, platform);
  await collectSwarmLogs(s, platform);
  await swarmTeardown(s, platform);
  throw new StepFailure(`stack ${s.inputs.project} did not come up: ${result.why} (logs in ${s.logsDir})`);
}
