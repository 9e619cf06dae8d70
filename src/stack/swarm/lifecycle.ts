import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { docker } from '../../docker/cli.js';
import type { Platform } from '../../platform/types.js';
import { TailBuffer } from '../logs.js';
import { Label } from '../override.js';
import { removeStackTempDir } from '../temp.js';
import { NAMESPACE, stackServices } from '../../docker/swarm.js';

/** The parts of a stack session that logs and teardown need (not the session type: session.ts calls teardown). */
export interface SwarmSession {
  inputs: { project: string; logsMaxSize: number };
  logsDir: string;
  overrideFile: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lines = (text: string) => text.split('\n').filter(Boolean);

/** The last `n` log lines of one task (the manager fetches them from the task's node). */
export async function tailTaskLog(taskId: string, n: number): Promise<string[]> {
  const out: string[] = [];
  await docker(['service', 'logs', '--no-task-ids', '--tail', String(n), taskId], {
    check: false,
    buffer: false,
    timeoutMs: 20_000,
    onStdout: (l) => out.push(l),
    onStderr: (l) => out.push(l),
  }).catch(() => undefined);
  return out.slice(-n);
}

/**
 * Saves each service's log (`docker service logs --timestamps`, every task, all nodes that answer) to
 * `<logs-dir>/<service>.log`, capped at logs-max-size (the end is kept). Never throws.
 */
export async function collectSwarmLogs(s: SwarmSession, platform: Platform): Promise<string[]> {
  try {
    await mkdir(s.logsDir, { recursive: true });
    const files: string[] = [];
    for (const svc of await stackServices(s.inputs.project)) {
      const buf = new TailBuffer(s.inputs.logsMaxSize);
      const r = await docker(['service', 'logs', '--timestamps', '--raw', svc.Spec.Name], {
        check: false,
        buffer: false,
        timeoutMs: 60_000,
        onStdout: (l) => buf.push(l),
        onStderr: (l) => buf.push(l),
      });
      if (r.code !== 0) buf.push(`[shipkit: docker service logs exited ${r.code}]`);
      const file = join(s.logsDir, `${svc.Spec.Name}.log`);
      await writeFile(file, buf.text(true));
      files.push(file);
    }
    platform.info(`Saved ${files.length} service log(s) to ${s.logsDir}`);
    return files;
  } catch (err: unknown) {
    platform.warning(`could not save the stack's logs: ${(err as Error).message}`);
    return [];
  }
}

/** What is left of a stack on the manager: services, networks, configs, secrets (by the namespace label). */
export async function stackLeftovers(stack: string): Promise<{ kind: string; id: string }[]> {
  const filter = ['--filter', `label=${NAMESPACE}=${stack}`];
  const kinds = [
    ['service', ['service', 'ls', '-q', ...filter]],
    ['network', ['network', 'ls', '-q', ...filter]],
    ['config', ['config', 'ls', '-q', ...filter]],
    ['secret', ['secret', 'ls', '-q', ...filter]],
  ] as const;
  const found = await Promise.all(
    kinds.map(async ([kind, args]) => {
      const r = await docker(args, { check: false });
      return lines(r.stdout).map((id) => ({ kind, id }));
    }),
  );
  return found.flat();
}

/**
 * Removes a stack: `docker stack rm`, then waits until its services and networks are gone (the engine
 * removes a network only once every task on it has stopped, on every node), retrying network removal.
 * Named volumes live on each node; those on the manager are removed here, those on other nodes stay
 * (labelled with the stack) and are a node-side clean-up. Returns how many objects are left (0: all gone).
 */
export async function removeStack(stack: string, timeoutMs = 90_000): Promise<number> {
  await docker(['stack', 'rm', stack], { check: false, timeoutMs: 60_000 });
  const deadline = Date.now() + timeoutMs;
  let left = await stackLeftovers(stack);
  while (left.length && Date.now() < deadline) {
    await sleep(500);
    left = await stackLeftovers(stack);
    // Networks the CLI could not remove while tasks still held them: remove them once they are free.
    if (left.every((x) => x.kind !== 'service')) {
      for (const x of left) {
        const rmArgs = { network: ['network', 'rm'], config: ['config', 'rm'], secret: ['secret', 'rm'] }[
          x.kind as 'network' | 'config' | 'secret'
        ];
        if (rmArgs) await docker([...rmArgs, x.id], { check: false });
      }
    }
  }
  const vols = await docker(['volume', 'ls', '-q', '--filter', `label=${NAMESPACE}=${stack}`], {
    check: false,
  });
  for (const v of lines(vols.stdout)) await docker(['volume', 'rm', '-f', v], { check: false });
  return left.length;
}

/** Tears a session's stack down and drops its temp folder; warns when something could not be removed. */
export async function swarmTeardown(s: SwarmSession, platform: Platform): Promise<number> {
  const left = await removeStack(s.inputs.project);
  await removeStackTempDir(dirname(s.overrideFile));
  if (left) platform.warning(`${left} object(s) of stack ${s.inputs.project} are still there after 90 s`);
  else platform.info(`Removed stack ${s.inputs.project}`);
  return left;
}

/** A shipkit stack on the swarm as `gc` sees it: its namespace and the labels of its oldest service. */
export interface SwarmStackRef {
  stack: string;
  owner: string;
  /** Unix seconds; NaN without the label. */
  created: number;
}

/** Every stack on the swarm that shipkit deployed (services labelled `dev.shipkit.kind=stack`). */
export async function shipkitStacks(): Promise<SwarmStackRef[]> {
  const format = `{{.Label "${NAMESPACE}"}}\t{{.Label "${Label.owner}"}}\t{{.Label "${Label.created}"}}`;
  const r = await docker(['service', 'ls', '--filter', `label=${Label.kind}=stack`, '--format', '{{.ID}}']);
  const ids = lines(r.stdout);
  if (!ids.length) return [];
  const info = await docker(
    ['service', 'inspect', '--format', format.replaceAll('.Label ', 'index .Spec.Labels '), ...ids],
    {
      check: false,
    },
  );
  const stacks = new Map<string, SwarmStackRef>();
  for (const line of lines(info.stdout)) {
    const [stack, owner, created] = line.split('\t');
    if (!stack) continue;
    const c = Number(created || NaN);
    const prev = stacks.get(stack);
    if (!prev || c < prev.created) stacks.set(stack, { stack, owner, created: c });
  }
  return [...stacks.values()];
}
