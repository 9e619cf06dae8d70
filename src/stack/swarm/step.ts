import { safeMd, mdCode, mdJoin } from '../../platform/markdown.js';
import type { Platform } from '../../platform/types.js';
import type { StackInputs } from '../inputs.js';
import { Outputs } from '../inputs.js';
import type { Session } from '../session.js';
import { checkManager, deploySwarm, stackStates } from './deploy.js';
import { collectSwarmLogs, removeStack, shipkitStacks, swarmTeardown, tailTaskLog } from './lifecycle.js';
import { removeGcTempDirs } from '../temp.js';
import { describeSwarmService, type SwarmServiceState } from '../../docker/swarm.js';

/** The `services` output on a swarm: service → `{ containers: [task names], state: "3/3 running (…)" }`. */
export function swarmServicesOutput(states: readonly SwarmServiceState[]): string {
  return JSON.stringify(
    Object.fromEntries(
      states.map((s) => [
        s.service,
        { containers: s.running.map((t) => t.name), state: describeSwarmService(s) },
      ]),
    ),
  );
}

/** `up` with engine swarm: deploy, wait, save logs, set outputs and the summary. */
export async function runSwarmUp(s: Session, platform: Platform, signal: AbortSignal): Promise<void> {
  const states = await deploySwarm(s, platform, signal);
  await collectSwarmLogs(s, platform);
  platform.setOutput(Outputs.services, swarmServicesOutput(states));
  platform.info(
    `Stack ${s.inputs.project} is up on the swarm: ${states.map(describeSwarmService).join('; ')}`,
  );
  const list = mdJoin(states.map((st) => safeMd`- ${describeSwarmService(st)}`));
  await platform.addSummary(safeMd`### Stack ${mdCode(s.inputs.project)} is up on the swarm\n\n${list}\n`);
}

/** `ps`: every task that should run, with its node and state. */
export async function runSwarmPs(s: Session, platform: Platform): Promise<void> {
  await checkManager(s.inputs.env.DOCKER_HOST);
  const states = await stackStates(s.inputs.project);
  for (const st of states) {
    platform.info(describeSwarmService(st));
    for (const t of [...st.running, ...st.waiting].sort((a, b) => a.name.localeCompare(b.name)))
      platform.info(
        `  ${t.name.padEnd(40)} ${t.node.padEnd(24)} ${t.state}${t.error ? ` (${t.error})` : ''}`,
      );
  }
  if (!states.length) platform.info(`no services in stack ${s.inputs.project}`);
  platform.setOutput(Outputs.project, s.inputs.project);
  platform.setOutput(Outputs.services, swarmServicesOutput(states));
}

/** `logs`: the last lines of each running task, then every service's log saved. */
export async function runSwarmLogs(s: Session, platform: Platform): Promise<void> {
  await checkManager(s.inputs.env.DOCKER_HOST);
  for (const st of await stackStates(s.inputs.project)) {
    for (const t of st.running) {
      await platform.group(`${t.name} on ${t.node} (last ${s.inputs.logLines} lines)`, async () => {
        for (const line of await tailTaskLog(t.id, s.inputs.logLines)) platform.info(line);
      });
    }
  }
  await collectSwarmLogs(s, platform);
  platform.setOutput(Outputs.project, s.inputs.project);
  platform.setOutput(Outputs.logsDir, s.logsDir);
}

/** `down`: logs, then `docker stack rm` and the wait until its networks are gone. */
export async function runSwarmDown(s: Session, platform: Platform): Promise<void> {
  await checkManager(s.inputs.env.DOCKER_HOST);
  await collectSwarmLogs(s, platform);
  const left = await swarmTeardown(s, platform);
  platform.setOutput(Outputs.project, s.inputs.project);
  platform.setOutput(Outputs.logsDir, s.logsDir);
  if (left)
    throw new Error(`${left} object(s) of stack ${s.inputs.project} are still there (see the warning above)`);
}

/** `gc`: removes whole shipkit stacks older than `older-than`, of this prefix (and owner, if given). */
export async function runSwarmGc(i: StackInputs, ownerGiven: boolean, platform: Platform): Promise<void> {
  await checkManager(i.env.DOCKER_HOST);
  const cutoff = (Date.now() - i.olderThanMs) / 1000;
  const garbage = (await shipkitStacks()).filter(
    (x) =>
      Number.isFinite(x.created) &&
      x.created <= cutoff &&
      x.stack.startsWith(`${i.prefix}-`) &&
      (!ownerGiven || x.owner === i.owner),
  );
  let removed = 0;
  for (const g of garbage) {
    platform.info(
      `removing stack ${g.stack} (owner ${g.owner}, created ${new Date(g.created * 1000).toISOString()})`,
    );
    if ((await removeStack(g.stack)) === 0) removed++;
  }
  await removeGcTempDirs(garbage.map((g) => g.stack));
  platform.info(
    `gc: removed ${removed} of ${garbage.length} stack(s) older than ${i.olderThanMs / 1000}s with prefix ${i.prefix}-`,
  );
  platform.setOutput(Outputs.removed, removed);
}
