import { docker } from './cli.js';

/** The label `docker stack deploy` puts on every service, network, config and secret of a stack. */
export const NAMESPACE = 'com.docker.stack.namespace';

/** What `docker service inspect` says (the fields shipkit reads). */
export interface SwarmService {
  ID: string;
  Spec: {
    Name: string;
    Labels?: Record<string, string> | null;
    Mode: { Replicated?: { Replicas?: number }; Global?: object };
    TaskTemplate?: { ContainerSpec?: { Hostname?: string } };
  };
  UpdateStatus?: { State?: string; Message?: string };
}

/** What `docker inspect` says about a task. */
export interface SwarmTask {
  ID: string;
  ServiceID: string;
  NodeID?: string;
  Slot?: number;
  DesiredState: string;
  CreatedAt: string;
  Status: {
    State: string;
    Err?: string;
    Message?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number };
  };
}

/** A task as shipkit reports it. */
export interface TaskState {
  id: string;
  /** `<service>.<slot>` (global: `<service>.<node>`), as `docker service ps` names it. */
  name: string;
  node: string;
  state: string;
  desired: string;
  error?: string;
  containerId?: string;
  created: number;
}

/** One service of a stack: how many tasks it wants, which run where, and which failed. */
export interface SwarmServiceState {
  /** The name in the compose file (`web`), not the swarm name (`<stack>_web`). */
  service: string;
  swarmName: string;
  global: boolean;
  expected: number;
  running: TaskState[];
  /** Tasks that want to run but do not yet (pending, preparing, starting, …). */
  waiting: TaskState[];
  /** Tasks that failed or were rejected (since the deploy began, when filtered by the caller). */
  failed: TaskState[];
  /** A rolling update the engine paused or rolled back, with its message. */
  updateProblem?: string;
  ready: boolean;
}

const FAILED_STATES = new Set(['failed', 'rejected', 'orphaned']);

function lines(text: string): string[] {
  return text.split('\n').filter(Boolean);
}

async function inspectAll<T>(ids: string[], args: string[]): Promise<T[]> {
  if (!ids.length) return [];
  const r = await docker([...args, ...ids], { check: false });
  // An object can vanish between listing and inspecting (a task pruned): inspect prints the rest.
  if (!r.stdout.trim()) return [];
  return JSON.parse(r.stdout) as T[];
}

/** The services of a stack (by its namespace label). */
export async function stackServices(stack: string): Promise<SwarmService[]> {
  const ids = lines(
    (await docker(['service', 'ls', '-q', '--filter', `label=${NAMESPACE}=${stack}`])).stdout,
  );
  return inspectAll<SwarmService>(ids, ['service', 'inspect']);
}

/** Every task of the given services (all states, history included). */
export async function serviceTasks(serviceIds: readonly string[]): Promise<SwarmTask[]> {
  if (!serviceIds.length) return [];
  const ids = new Set<string>();
  for (const sid of serviceIds) {
    const r = await docker(['service', 'ps', '-q', '--no-trunc', sid], { check: false });
    for (const id of lines(r.stdout)) ids.add(id);
  }
  return inspectAll<SwarmTask>([...ids], ['inspect', '--type', 'task']);
}

/** Node id → hostname, and the Ready/Active state of each node. */
export async function swarmNodes(): Promise<Map<string, { hostname: string; ready: boolean; addr: string }>> {
  const r = await docker(['node', 'ls', '-q']);
  const ids = lines(r.stdout);
  const nodes = await inspectAll<{
    ID: string;
    Description: { Hostname: string };
    Status: { State: string; Addr?: string };
    Spec: { Availability: string };
    ManagerStatus?: { Addr?: string };
  }>(ids, ['node', 'inspect']);
  return new Map(
    nodes.map((n) => [
      n.ID,
      {
        hostname: n.Description.Hostname,
        ready: n.Status.State === 'ready' && n.Spec.Availability === 'active',
        // A manager reports 0.0.0.0 as Status.Addr on some engines; its ManagerStatus has the real one.
        addr:
          n.Status.Addr && n.Status.Addr !== '0.0.0.0'
            ? n.Status.Addr
            : (n.ManagerStatus?.Addr ?? '').replace(/:\d+$/, ''),
      },
    ]),
  );
}

/** The compose service name of a swarm service (`<stack>_web` → `web`). */
export function composeName(stack: string, swarmName: string): string {
  return swarmName.startsWith(`${stack}_`) ? swarmName.slice(stack.length + 1) : swarmName;
}

/**
 * Groups tasks per service. A service is ready when its running tasks (desired and actual state running)
 * reach the expected count: the replicas, or for a global service one per ready node that has a task.
 * Swarm reports a task with a healthcheck as running only once it is healthy.
 */
export function swarmStates(
  stack: string,
  services: readonly SwarmService[],
  tasks: readonly SwarmTask[],
  nodeNames: ReadonlyMap<string, string>,
  sinceMs = 0,
): SwarmServiceState[] {
  return services
    .map((svc) => {
      const mine = tasks.filter((t) => t.ServiceID === svc.ID);
      const global = svc.Spec.Mode.Global !== undefined;
      const state = (t: SwarmTask): TaskState => {
        const node = (t.NodeID && nodeNames.get(t.NodeID)) || t.NodeID || '(unassigned)';
        return {
          id: t.ID,
          name: `${svc.Spec.Name}.${global ? (t.NodeID ?? '?') : String(t.Slot ?? '?')}`,
          node,
          state: t.Status.State,
          desired: t.DesiredState,
          error: t.Status.Err || undefined,
          containerId: t.Status.ContainerStatus?.ContainerID || undefined,
          created: Date.parse(t.CreatedAt),
        };
      };
      const wanted = mine.filter((t) => t.DesiredState === 'running').map(state);
      const running = wanted.filter((t) => t.state === 'running');
      const waiting = wanted.filter((t) => t.state !== 'running' && !FAILED_STATES.has(t.state));
      const failed = mine
        .map(state)
        .filter((t) => FAILED_STATES.has(t.state) && t.created >= sinceMs)
        .sort((a, b) => a.created - b.created);
      const expected = global ? Math.max(wanted.length, 1) : (svc.Spec.Mode.Replicated?.Replicas ?? 1);
      const u = svc.UpdateStatus;
      const updateProblem =
        u?.State && /paused|rollback/.test(u.State)
          ? `update ${u.State}: ${u.Message ?? ''}`.trim()
          : undefined;
      const ready = running.length >= expected && waiting.length === 0 && !updateProblem;
      return {
        service: composeName(stack, svc.Spec.Name),
        swarmName: svc.Spec.Name,
        global,
        expected,
        running,
        waiting,
        failed,
        updateProblem,
        ready,
      };
    })
    .sort((a, b) => a.service.localeCompare(b.service));
}

/** Tasks per node, `node1 2, node2 1`. */
function perNode(tasks: readonly TaskState[]): string {
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t.node, (counts.get(t.node) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([n, c]) => `${n} ${c}`)
    .join(', ');
}

/**
 * `web: 2/3 running (node1 1, node2 1); 1 pending: no suitable node (…); 1 failed: task: non-zero exit (3)`.
 */
export function describeSwarmService(s: SwarmServiceState): string {
  if (s.expected === 0 && !s.global) return `${s.service}: scaled to 0`;
  const parts = [
    `${s.service}: ${s.running.length}/${s.expected} running${s.running.length ? ` (${perNode(s.running)})` : ''}`,
  ];
  const byState = new Map<string, TaskState[]>();
  for (const t of s.waiting) byState.set(t.state, [...(byState.get(t.state) ?? []), t]);
  for (const [state, ts] of byState) {
    const err = ts.find((t) => t.error)?.error;
    parts.push(`${ts.length} ${state}${err ? `: ${err}` : ''}`);
  }
  if (s.failed.length)
    parts.push(`${s.failed.length} failed: ${s.failed.at(-1)?.error ?? 'no reason given'}`);
  if (s.updateProblem) parts.push(s.updateProblem);
  return parts.join('; ');
}
