import { describe, expect, it } from 'vitest';
import { describeSwarmService, swarmStates, type SwarmService, type SwarmTask } from './swarm.js';

const svc = (id: string, name: string, mode: SwarmService['Spec']['Mode']): SwarmService => ({
  ID: id,
  Spec: { Name: name, Mode: mode },
});
let n = 0;
const task = (
  service: string,
  node: string,
  state: string,
  desired = 'running',
  err?: string,
): SwarmTask => ({
  ID: `t${++n}`,
  ServiceID: service,
  NodeID: node,
  Slot: n,
  DesiredState: desired,
  CreatedAt: new Date(1_700_000_000_000 + n * 1000).toISOString(),
  Status: { State: state, Err: err },
});
const NODES = new Map([
  ['n1', 'node1'],
  ['n2', 'node2'],
  ['n3', 'node3'],
]);

/** The state of the one replicated service `p_app` (id `a`) with `replicas` and these tasks. */
const appState = (replicas: number, tasks: SwarmTask[], sinceMs?: number) =>
  swarmStates('p', [svc('a', 'p_app', { Replicated: { Replicas: replicas } })], tasks, NODES, sinceMs)[0];

describe('swarmStates: services and tasks to progress', () => {
  it('is ready when the running tasks reach the replicas; counts per node', () => {
    const s = appState(3, [
      task('a', 'n1', 'running'),
      task('a', 'n2', 'running'),
      task('a', 'n2', 'running'),
      task('a', 'n3', 'shutdown', 'shutdown'),
    ]);
    expect(s.service).toBe('app');
    expect(s.ready).toBe(true);
    expect(describeSwarmService(s)).toBe('app: 3/3 running (node1 1, node2 2)');
  });

  it('is not ready with a task pending, and says why', () => {
    const s = appState(3, [
      task('a', 'n1', 'running'),
      task('a', 'n2', 'running'),
      task('a', '', 'pending', 'running', 'no suitable node (max replicas per node limit exceed)'),
    ]);
    expect(s.ready).toBe(false);
    expect(describeSwarmService(s)).toBe(
      'app: 2/3 running (node1 1, node2 1); 1 pending: no suitable node (max replicas per node limit exceed)',
    );
  });

  it('counts failed tasks only since the deploy began, the latest error last', () => {
    const old = task('a', 'n1', 'failed', 'shutdown', 'old failure');
    const a = task('a', 'n1', 'failed', 'shutdown', 'task: non-zero exit (1)');
    const b = task('a', 'n2', 'rejected', 'shutdown', 'No such image: x');
    const since = Date.parse(a.CreatedAt);
    const s = appState(1, [old, a, b], since);
    expect(s.failed.map((t) => t.error)).toEqual(['task: non-zero exit (1)', 'No such image: x']);
    expect(describeSwarmService(s)).toBe('app: 0/1 running; 2 failed: No such image: x');
  });

  it('a global service expects one task per node it scheduled; a paused update is a problem', () => {
    const g = svc('g', 'p_lb', { Global: {} });
    g.UpdateStatus = { State: 'paused', Message: 'update paused due to failure' };
    const [s] = swarmStates('p', [g], [task('g', 'n1', 'running'), task('g', 'n2', 'starting')], NODES);
    expect(s.expected).toBe(2);
    expect(s.ready).toBe(false);
    expect(describeSwarmService(s)).toBe(
      'lb: 1/2 running (node1 1); 1 starting; update paused: update paused due to failure',
    );
  });
});
