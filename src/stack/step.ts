import { stackInterface } from '../generated/stack.js';
import { UserError } from '../core/errors.js';
import { defineStep } from '../core/step.js';
import { safeMd, mdCode, mdJoin } from '../platform/markdown.js';
import type { Platform } from '../platform/types.js';
import { getInputs, Inputs, Outputs, type StackInputs } from './inputs.js';
import { tailLog } from './logs.js';
import { projectContainers, removeResources, selectGarbage, stackResources } from './resources.js';
import { collectLogs, openSession, teardown, type Session } from './session.js';
import { containerState, describeService, serviceStates, type ServiceState } from './status.js';
import { removeGcTempDirs } from './temp.js';
import { up } from './up.js';
import { runSwarmDown, runSwarmGc, runSwarmLogs, runSwarmPs, runSwarmUp } from './swarm/step.js';

export { Inputs, Outputs };

/** Names of the values `up` hands to the post step (GitHub) through saveState. */
export const State = { project: 'stackProject', override: 'stackOverride', logsDir: 'stackLogsDir' } as const;

function servicesOutput(states: readonly ServiceState[]): string {
  return JSON.stringify(
    Object.fromEntries(
      states.map((s) => [
        s.service,
        { containers: s.containers.map((c) => c.name), state: describeService(s) },
      ]),
    ),
  );
}

/**
 * Runs `fn` with SIGINT/SIGTERM handlers that tear the stack down and exit 130/143 (locally and on
 * GitLab; on GitHub the post step does it). The handlers are removed when `fn` settles: after `up`
 * the stack is meant to keep running.
 */
async function withSignalTeardown<T>(
  s: Session,
  platform: Platform,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  if (s.inputs.ctx.ci === 'github') return fn(abort.signal);
  const handler = (sig: NodeJS.Signals) => {
    platform.warning(`${sig} received: tearing down ${s.inputs.project}`);
    abort.abort();
    void teardown(s, platform, { fast: true })
      .catch(() => undefined)
      .finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  try {
    return await fn(abort.signal);
  } finally {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  }
}

async function runUp(s: Session, platform: Platform): Promise<void> {
  platform.setOutput(Outputs.project, s.inputs.project);
  platform.setOutput(Outputs.logsDir, s.logsDir);
  platform.setOutput(Outputs.overrideFile, s.overrideFile);
  // Saved before anything starts, so the post step tears down even a half-started stack.
  platform.saveState(State.project, s.inputs.project);
  platform.saveState(State.override, s.overrideFile);
  platform.saveState(State.logsDir, s.logsDir);
  if (s.inputs.engine === 'swarm')
    return withSignalTeardown(s, platform, (signal) => runSwarmUp(s, platform, signal));
  const states = await withSignalTeardown(s, platform, (signal) => up(s, platform, signal));
  await collectLogs(s, platform);
  platform.setOutput(Outputs.services, servicesOutput(states));
  platform.info(`Stack ${s.inputs.project} is up: ${states.map(describeService).join('; ')}`);
  const list = mdJoin(states.map((st) => safeMd`- ${describeService(st)}`));
  await platform.addSummary(safeMd`### Stack ${mdCode(s.inputs.project)} is up\n\n${list}\n`);
}

async function runPs(s: Session, platform: Platform): Promise<void> {
  const infos = await projectContainers(s.inputs.project);
  const counts = new Map<string, number>();
  for (const c of infos.map(containerState)) counts.set(c.service, (counts.get(c.service) ?? 0) + 1);
  const states = serviceStates(new Map([...counts].sort()), infos);
  for (const c of infos.map(containerState).sort((a, b) => a.name.localeCompare(b.name))) {
    platform.info(
      `${c.name.padEnd(40)} ${c.service.padEnd(16)} ${c.phase}${c.phase === 'exited' || c.phase === 'completed' ? ` (${c.exitCode})` : ''}`,
    );
  }
  if (!infos.length) platform.info(`no containers in project ${s.inputs.project}`);
  platform.setOutput(Outputs.project, s.inputs.project);
  platform.setOutput(Outputs.services, servicesOutput(states));
}

async function runLogs(s: Session, platform: Platform): Promise<void> {
  for (const c of (await projectContainers(s.inputs.project)).map(containerState)) {
    await platform.group(`${c.name} (last ${s.inputs.logLines} lines)`, async () => {
      for (const line of await tailLog(c.id, s.inputs.logLines)) platform.info(line);
    });
  }
  await collectLogs(s, platform);
  platform.setOutput(Outputs.project, s.inputs.project);
  platform.setOutput(Outputs.logsDir, s.logsDir);
}

async function runDown(s: Session, platform: Platform): Promise<void> {
  await collectLogs(s, platform);
  const left = await teardown(s, platform);
  platform.setOutput(Outputs.project, s.inputs.project);
  platform.setOutput(Outputs.logsDir, s.logsDir);
  if (left)
    throw new Error(`${left} object(s) of ${s.inputs.project} are still there (see the warning above)`);
}

/** `gc`: removes shipkit stack objects older than `older-than`, of this prefix (and owner, if given). */
async function runGc(i: StackInputs, ownerGiven: boolean, platform: Platform): Promise<void> {
  const all = await stackResources();
  const garbage = selectGarbage(all, {
    olderThanMs: i.olderThanMs,
    nowMs: Date.now(),
    owner: ownerGiven ? i.owner : undefined,
    projectPrefix: `${i.prefix}-`,
  });
  for (const g of garbage)
    platform.info(
      `removing ${g.kind} ${g.id.slice(0, 12)} (project ${g.project}, owner ${g.owner}, created ${new Date(g.created * 1000).toISOString()})`,
    );
  const removed = await removeResources(garbage);
  await removeGcTempDirs(garbage.map((g) => g.project));
  platform.info(
    `gc: removed ${removed} of ${garbage.length} object(s) older than ${i.olderThanMs / 1000}s with project prefix ${i.prefix}-`,
  );
  platform.setOutput(Outputs.removed, removed);
}

export const step = defineStep({
  name: 'stack',
  summary: 'Start the compose stack, wait until healthy, save logs, tear it down (up|ps|logs|down|gc)',
  inputs: Inputs,
  interface: stackInterface,
  outputs: Outputs,
  getInputs: (reader) => ({ ...getInputs(reader), ownerGiven: reader.optional(Inputs.owner) !== undefined }),
  async main(inputs, platform) {
    const swarm = inputs.engine === 'swarm';
    if (inputs.command === 'gc')
      return swarm
        ? runSwarmGc(inputs, inputs.ownerGiven, platform)
        : runGc(inputs, inputs.ownerGiven, platform);
    if (!inputs.projectGiven && inputs.ctx.ci === 'local' && inputs.command !== 'up') {
      throw new UserError(
        `locally the project name is random per run: pass the one \`up\` printed (--project <name>)`,
        { field: 'input "project"' },
      );
    }
    // `down` finds the stack by its project label even without the compose files (a killed job's
    // leftovers, or a workspace that is gone).
    const s = await openSession(inputs, undefined, inputs.command === 'down');
    if (inputs.command === 'up') return runUp(s, platform);
    if (inputs.command === 'ps') return swarm ? runSwarmPs(s, platform) : runPs(s, platform);
    if (inputs.command === 'logs') return swarm ? runSwarmLogs(s, platform) : runLogs(s, platform);
    return swarm ? runSwarmDown(s, platform) : runDown(s, platform);
  },
  async post(inputs, platform) {
    const project = platform.getState(State.project);
    if (inputs.command !== 'up' || !project) return;
    const s = await openSession(
      { ...inputs, project, logsDir: platform.getState(State.logsDir) || inputs.logsDir },
      platform.getState(State.override),
      true,
    );
    if (inputs.engine === 'swarm')
      return void (await runSwarmDown(s, platform).catch((err: unknown) => platform.warning(String(err))));
    await collectLogs(s, platform);
    await teardown(s, platform);
  },
  cli: {
    positional: ['command'],
    aliases: { '-f': 'compose-file', '-p': 'project' },
    switches: ['build', 'remove-images'],
    usage:
      'up|ps|logs|down|gc [-f compose.yml] [--scale app=3] [--images <json>] [--timeout 5m] [-p project]',
  },
});
