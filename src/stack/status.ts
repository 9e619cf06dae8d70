/** What `docker inspect` says about a container (the fields shipkit reads). */
export interface ContainerInfo {
  Id: string;
  Name: string;
  RestartCount?: number;
  Config: { Labels?: Record<string, string> | null };
  State: {
    Status: string;
    ExitCode: number;
    Error?: string;
    OOMKilled?: boolean;
    Health?: { Status: string; Log?: { ExitCode: number; Output: string }[] | null };
  };
}

export type Phase = 'starting' | 'running' | 'healthy' | 'completed' | 'unhealthy' | 'restarting' | 'exited';

const READY: ReadonlySet<Phase> = new Set(['running', 'healthy', 'completed']);
const FAILED: ReadonlySet<Phase> = new Set(['unhealthy', 'exited']);
/** A container that restarted this often while we wait is crash-looping, not starting. */
export const MAX_RESTARTS = 3;

export interface ContainerState {
  id: string;
  name: string;
  service: string;
  phase: Phase;
  exitCode: number;
  /** Why it failed, when it did. */
  reason?: string;
}

export interface ServiceState {
  service: string;
  expected: number;
  containers: ContainerState[];
  ready: boolean;
  failed: boolean;
}

function phaseOf(c: ContainerInfo): Phase {
  const s = c.State;
  if (s.Status === 'restarting') return 'restarting';
  if (s.Status === 'exited' || s.Status === 'dead')
    return s.ExitCode === 0 && s.Status === 'exited' ? 'completed' : 'exited';
  if (s.Status !== 'running') return 'starting';
  const health = s.Health?.Status;
  if (health === 'healthy') return 'healthy';
  if (health === 'unhealthy') return 'unhealthy';
  return health ? 'starting' : 'running';
}

function reasonOf(c: ContainerInfo, phase: Phase): string | undefined {
  const s = c.State;
  if (phase === 'exited') {
    const extra = s.OOMKilled ? ' (killed: out of memory)' : s.Error ? ` (${s.Error})` : '';
    return `exited with code ${s.ExitCode}${extra}`;
  }
  if (phase === 'unhealthy') {
    const last = s.Health?.Log?.at(-1);
    const out = last?.Output.trim().split('\n').at(-1)?.slice(0, 200);
    return `healthcheck failing${last ? ` (exit ${last.ExitCode}${out ? `: ${out}` : ''})` : ''}`;
  }
  if (phase === 'restarting' && (c.RestartCount ?? 0) >= MAX_RESTARTS) {
    return `keeps restarting (${c.RestartCount} restarts, last exit code ${s.ExitCode})`;
  }
  return undefined;
}

/** One container's state, from its inspect data. */
export function containerState(c: ContainerInfo): ContainerState {
  const phase = phaseOf(c);
  return {
    id: c.Id,
    name: c.Name.replace(/^\//, ''),
    service: c.Config.Labels?.['com.docker.compose.service'] ?? '?',
    phase,
    exitCode: c.State.ExitCode,
    reason: reasonOf(c, phase),
  };
}

/**
 * Groups containers by service. A service is ready when it has its expected number of containers
 * and each is healthy (healthcheck), running (none) or completed (one-shot, exit 0); it failed when
 * any container exited non-zero, is unhealthy or crash-loops.
 */
export function serviceStates(
  expected: ReadonlyMap<string, number>,
  infos: readonly ContainerInfo[],
): ServiceState[] {
  const states = infos.map(containerState);
  return [...expected.entries()].map(([service, n]) => {
    const containers = states
      .filter((c) => c.service === service)
      .sort((a, b) => a.name.localeCompare(b.name));
    const failed = containers.some((c) => FAILED.has(c.phase) || c.reason !== undefined);
    const ready = !failed && containers.length >= n && containers.every((c) => READY.has(c.phase));
    return { service, expected: n, containers, ready, failed };
  });
}

/** `app: 2 healthy, 1 starting (3)` — counts per phase, most advanced first. */
export function describeService(s: ServiceState): string {
  const order: Phase[] = ['healthy', 'running', 'completed', 'starting', 'restarting', 'unhealthy', 'exited'];
  const counts = order
    .map((p) => [p, s.containers.filter((c) => c.phase === p).length] as const)
    .filter(([, n]) => n > 0)
    .map(([p, n]) => `${n} ${p}`);
  const missing = s.expected - s.containers.length;
  if (missing > 0) counts.push(`${missing} not created`);
  if (s.expected === 0) return `${s.service}: scaled to 0`;
  return `${s.service}: ${counts.join(', ')}`;
}

/**
 * Progress while waiting: the services whose description changed since `previous` (so the log only
 * grows when something happens), or a heartbeat line with every service when `heartbeat` is true.
 */
export function progressLines(
  previous: ReadonlyMap<string, string>,
  states: readonly ServiceState[],
  elapsedMs: number,
  heartbeat: boolean,
): { lines: string[]; current: Map<string, string> } {
  const current = new Map(states.map((s) => [s.service, describeService(s)]));
  const t = `[${(elapsedMs / 1000).toFixed(1)}s]`;
  const changed = states.filter((s) => previous.get(s.service) !== current.get(s.service));
  const lines = changed.map((s) => `${t} ${current.get(s.service)}`);
  if (lines.length === 0 && heartbeat) {
    const waiting = states.filter((s) => !s.ready).map((s) => current.get(s.service));
    lines.push(`${t} still waiting: ${waiting.join('; ') || 'for the ready URL'}`);
  }
  return { lines, current };
}

/** One line per failed container: `service app (skstack_app_1): exited with code 3`. */
export function failureReasons(states: readonly ServiceState[]): string[] {
  return states.flatMap((s) =>
    s.containers
      .filter((c) => c.reason !== undefined)
      .map((c) => `service ${s.service} (${c.name}): ${c.reason}`),
  );
}
