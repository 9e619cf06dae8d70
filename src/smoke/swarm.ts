import { net } from '../core/builtins.js';
import { StepFailure } from '../core/errors.js';
import { docker } from '../docker/cli.js';
import { serviceTasks, swarmNodes, type SwarmService } from '../docker/swarm.js';
import type { Replica, StackRef, TargetSpec } from './spec.js';

/** The swarm service of a stack reference: `<project>_<service>`, as `docker stack deploy` names it. */
export function swarmService(stack: StackRef): string {
  return `${stack.project}_${stack.service}`;
}

/**
 * What a task's container calls itself: the service's `hostname:` with the usual templates filled in, or
 * Docker's default, the first 12 characters of the container id.
 */
export function taskHostname(
  template: string | undefined,
  t: { containerId: string; slot?: number; node?: string; nodeId?: string; service: string; taskId: string },
): string {
  if (!template) return t.containerId.slice(0, 12);
  return template
    .replace(/\{\{\s*\.Task\.Slot\s*\}\}/g, String(t.slot ?? ''))
    .replace(/\{\{\s*\.Node\.Hostname\s*\}\}/g, t.node ?? '')
    .replace(/\{\{\s*\.Node\.ID\s*\}\}/g, t.nodeId ?? '')
    .replace(/\{\{\s*\.Service\.Name\s*\}\}/g, t.service)
    .replace(/\{\{\s*\.Task\.ID\s*\}\}/g, t.taskId);
}

/** The running tasks of a stack's service on every node, ordered by slot (a global service: by node). */
export async function swarmReplicas(stack: StackRef): Promise<(Replica & { node: string })[]> {
  const name = swarmService(stack);
  const r = await docker(['service', 'inspect', name], { check: false });
  if (r.code !== 0) return [];
  const [svc] = JSON.parse(r.stdout) as SwarmService[];
  const [tasks, nodes] = await Promise.all([serviceTasks([svc.ID]), swarmNodes()]);
  const template = svc.Spec.TaskTemplate?.ContainerSpec?.Hostname;
  return tasks
    .filter(
      (t) =>
        t.DesiredState === 'running' && t.Status.State === 'running' && t.Status.ContainerStatus?.ContainerID,
    )
    .map((t) => {
      const node = (t.NodeID && nodes.get(t.NodeID)?.hostname) || t.NodeID || '?';
      const number = t.Slot ?? 0;
      return {
        id: t.ID,
        name: `${name}.${t.Slot ?? node}`,
        hostname: taskHostname(template, {
          containerId: t.Status.ContainerStatus!.ContainerID!,
          slot: t.Slot,
          node,
          nodeId: t.NodeID,
          service: name,
          taskId: t.ID,
        }),
        number,
        node,
      };
    })
    .sort((a, b) => a.number - b.number || a.node.localeCompare(b.node));
}

/** `docker service scale <service>=<n>` without waiting (shipkit measures the traffic, not the CLI). */
export async function scaleSwarmService(stack: StackRef, replicas: number): Promise<void> {
  await docker(['service', 'scale', '--detach', `${swarmService(stack)}=${replicas}`], { timeoutMs: 60_000 });
}

/** Sets a node's availability (`drain` moves its tasks away, `active` lets tasks come back). */
export async function setAvailability(node: string, availability: 'drain' | 'active'): Promise<void> {
  await docker(['node', 'update', '--availability', availability, node], { timeoutMs: 60_000 });
}

/**
 * One target per ready node: the URL's host replaced by the node's address (TLS keeps the original name
 * for SNI and the certificate check), named `<name> @ <node>`. The failover drill runs on the last only.
 */
export async function targetsPerNode(t: TargetSpec): Promise<TargetSpec[]> {
  const nodes = [...(await swarmNodes()).values()].filter((n) => n.ready && n.addr);
  nodes.sort((a, b) => a.hostname.localeCompare(b.hostname));
  if (!nodes.length)
    throw new StepFailure('engine swarm: no ready node with an address to send the load through');
  return nodes.map((n, i) => {
    const url = new URL(t.url.href);
    url.hostname = n.addr;
    return {
      ...t,
      name: `${t.name} @ ${n.hostname}`,
      url,
      tls: {
        ...t.tls,
        servername: t.tls.servername ?? (net().isIP(t.url.hostname) ? undefined : t.url.hostname),
      },
      // The drill disturbs the stack: on the last target, after every node's load check ran on a steady one.
      failover: i === nodes.length - 1 ? t.failover : undefined,
    };
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type SwarmReplica = Replica & { node: string };

/**
 * The failover drill's disruption on a swarm, done through the manager (a task's node may be out of
 * reach): scale the service down by one (the orchestrator picks the task), or drain the node of a
 * replica — never the node the load goes through, whose load balancer would go too. `restore` undoes it.
 */
export class SwarmDisruption {
  private drained?: string;
  private scaledDown = false;

  constructor(
    private readonly stack: StackRef,
    private readonly before: readonly Replica[],
    private readonly drain: boolean,
    /** The address the load goes to: its node is not drained. */
    private readonly avoidAddr?: string,
  ) {}

  /** Disrupts, then returns the replicas that left (once the manager says so, at most `timeoutMs`). */
  async stop(timeoutMs: number): Promise<SwarmReplica[]> {
    const before = this.before as SwarmReplica[];
    if (this.drain) {
      const nodes = await swarmNodes();
      const addrOf = new Map([...nodes.values()].map((n) => [n.hostname, n.addr]));
      const pick = [...before].reverse().find((r) => addrOf.get(r.node) !== this.avoidAddr) ?? before.at(-1)!;
      this.drained = pick.node;
      await setAvailability(pick.node, 'drain');
      return before.filter((r) => r.node === pick.node);
    }
    await scaleSwarmService(this.stack, before.length - 1);
    this.scaledDown = true;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ids = new Set((await swarmReplicas(this.stack)).map((r) => r.id));
      const left = before.filter((r) => !ids.has(r.id));
      if (left.length) return left;
      await sleep(100);
    }
    return [];
  }

  /**
   * Waits (at most `timeoutMs`) until the service runs exactly `n` tasks again: a swarm scales after the
   * command returns, and the next check must not see a replica that is on its way out.
   */
  async settle(n: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && (await swarmReplicas(this.stack)).length !== n) await sleep(200);
  }

  /** Undoes the disruption; with a timeout, waits for the replicas to be back and returns the new ones. */
  async restore(timeoutMs: number): Promise<SwarmReplica[]> {
    if (this.drained) await setAvailability(this.drained, 'active');
    if (this.scaledDown) await scaleSwarmService(this.stack, this.before.length);
    this.drained = undefined;
    this.scaledDown = false;
    const known = new Set(this.before.map((r) => r.id));
    const deadline = Date.now() + timeoutMs;
    let fresh: SwarmReplica[] = [];
    while (Date.now() < deadline) {
      const now = await swarmReplicas(this.stack);
      fresh = now.filter((r) => !known.has(r.id));
      if (now.length >= this.before.length && fresh.length) break;
      await sleep(100);
    }
    return fresh;
  }

  describe(rs: readonly SwarmReplica[]): string {
    const list = rs.map((r) => `${r.name} (${r.hostname}) on ${r.node}`).join(', ') || 'a task';
    return this.drain ? `${list}, by draining the node` : list;
  }
}
