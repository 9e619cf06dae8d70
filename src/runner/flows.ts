import { StepFailure } from '../core/errors.js';
import { safeMd, mdCode } from '../platform/markdown.js';
import type { Platform } from '../platform/types.js';
import type { RunnerApi } from './api.js';
import {
  containerExpired,
  containerId,
  Labels,
  listRunnerContainers,
  removeContainer,
  startContainer,
  startupProblem,
  waitForExit,
  type RunnerContainerSpec,
} from './container.js';
import { githubRunnerProcess, gitlabRunnerProcess } from './images.js';
import { Outputs, type RunnerInputs } from './inputs.js';
import { undoOnSignal } from './interrupt.js';
import { isExpired, runnerName, type RunnerName } from './names.js';

/** What `up` started, saved as state for the post step (and printed for a later `down`). */
export interface Started {
  provider: 'github' | 'gitlab';
  id: number;
  name: string;
  label: string;
  container?: string;
}

export const STATE_KEY = 'runner';
/** How long a new runner container must keep running before `up` calls it started. */
export const STARTUP_GRACE_MS = 1500;

/** The provider's API client for these inputs; `undefined` when there is no token or scope (gc only). */
export async function apiFor(i: RunnerInputs, platform: Platform): Promise<RunnerApi | undefined> {
  if (!i.token || !i.scope) return undefined;
  const redact = (t: string) => platform.redact(t);
  const s = i.scope;
  if (i.provider === 'github') {
    if (s.kind !== 'repo' && s.kind !== 'org') return undefined;
    // Each client loads when its provider is asked for: octokit ~105 KB, gitbeaker and its helpers ~280 KB.
    const { GitHubRunners } = await import('./github.js');
    return new GitHubRunners({
      token: i.token,
      baseUrl: i.apiUrl,
      scope: s,
      runnerGroupId: i.runnerGroupId,
      redact,
      debug: (m) => platform.debug(m),
    });
  }
  if (s.kind === 'repo' || s.kind === 'org') return undefined;
  const { GitLabRunners } = await import('./gitlab.js');
  return new GitLabRunners({ token: i.token, url: i.apiUrl, scope: s, redact });
}

/**
 * The runner container for a registered runner: TTL and owner labels for `gc`, and the command and
 * environment each runner image documents (see images.ts), the secret only in the environment.
 */
export function containerSpec(
  i: RunnerInputs,
  reg: { id: number; name: string; label: string; secret: string; createdAt: number },
): RunnerContainerSpec {
  const ttlSeconds = Math.max(1, Math.round(i.ttlMs / 1000));
  const labels: Record<string, string> = {
    [Labels.kind]: 'runner',
    [Labels.ttl]: String(ttlSeconds),
    [Labels.created]: String(reg.createdAt),
    [Labels.owner]: `${i.owner}#${i.runId}.${i.attempt}`,
    [Labels.provider]: i.provider,
    [Labels.label]: reg.label,
    [Labels.name]: reg.name,
    [Labels.id]: String(reg.id),
  };
  const proc =
    i.provider === 'github' ? githubRunnerProcess(i, reg.secret) : gitlabRunnerProcess(i, reg, ttlSeconds);
  return {
    name: reg.name,
    image: i.image ?? '',
    ...proc,
    labels,
    volumes: i.volumes,
    privileged: i.privileged,
    network: i.network,
  };
}

/** Registers a runner, starts its container and sets the outputs. Undoes the registration if the container fails. */
export async function up(
  i: RunnerInputs,
  platform: Platform,
  api: RunnerApi,
  now = Date.now(),
): Promise<Started> {
  const n = runnerName(i.namePrefix, i.runId, i.attempt, now, i.label);
  const labels = [n.label, ...i.extraLabels.filter((l) => l !== n.label)];
  let registered: number | undefined;
  let attempt: Promise<unknown> = Promise.resolve();
  const undo = async () => {
    platform.warning(`interrupted: removing runner ${n.name}`);
    // Let an API call or `docker run` in flight land first, so what it creates is removed too.
    await Promise.race([attempt.catch(() => undefined), new Promise((r) => setTimeout(r, 15_000).unref())]);
    await removeContainer(n.name).catch(() => false);
    if (registered !== undefined) await api.remove(registered).catch(() => false);
  };
  const started = await undoOnSignal(undo, () => {
    attempt = register(i, platform, api, n, labels, (id) => (registered = id));
    return attempt as Promise<Started>;
  });
  platform.setOutput(Outputs.label, n.label);
  platform.setOutput(Outputs.runnerId, started.id);
  platform.setOutput(Outputs.runnerName, n.name);
  platform.setOutput(Outputs.container, n.name);
  await platform.addSummary(
    safeMd`shipkit runner: ${mdCode(n.name)} is up; use ${mdCode(`runs-on: ${n.label}`)}.`,
  );
  if (i.wait) {
    const exited = await platform.group('Wait for the runner to take its job', () =>
      waitForExit(n.name, i.ttlMs),
    );
    platform.info(exited ? 'runner container exited' : 'runner still running at its TTL');
  }
  return started;
}

async function register(
  i: RunnerInputs,
  platform: Platform,
  api: RunnerApi,
  n: RunnerName,
  labels: string[],
  onRegistered: (id: number) => void,
): Promise<Started> {
  const reg = await platform.group(`Register ${i.provider} runner ${n.name}`, async () => {
    const r = await api.register(n.name, labels);
    platform.setSecret(r.secret);
    onRegistered(r.id);
    platform.info(`registered runner ${r.id} (${r.name}) with labels ${labels.join(', ')}`);
    return r;
  });
  const started: Started = { provider: i.provider, id: reg.id, name: n.name, label: n.label };
  // Saved before the container starts: if we are killed now, the post step still deletes the runner.
  platform.saveState(STATE_KEY, JSON.stringify(started));
  await platform.group(`Start runner container from ${i.image ?? ''}`, async () => {
    const spec = containerSpec(i, { ...reg, name: n.name, label: n.label, createdAt: n.createdAt });
    try {
      started.container = await startContainer(spec, (t) => platform.redact(t));
      const problem = await startupProblem(spec.name, STARTUP_GRACE_MS);
      if (problem) {
        throw new StepFailure(
          platform.redact(
            `runner container ${spec.name} exited right after start (code ${problem.exitCode}); ` +
              `check runner-image and runner-command. Last log lines:\n${problem.logs}`,
          ),
        );
      }
    } catch (err: unknown) {
      await removeContainer(spec.name).catch(() => false);
      await api
        .remove(reg.id)
        .catch((e: unknown) => platform.warning(`could not delete runner ${reg.id}: ${String(e)}`));
      throw err;
    }
    platform.saveState(STATE_KEY, JSON.stringify(started));
    platform.info(
      `container ${spec.name} (${started.container.slice(0, 12)}), expires in ${spec.labels[Labels.ttl]}s`,
    );
  });
  return started;
}

/** What `down` should remove: from inputs (label / runner-id / container), else the state `up` saved. */
export function target(i: RunnerInputs, state: string): Partial<Started> {
  if (i.label || i.runnerId || i.container) {
    return { label: i.label, id: i.runnerId, container: i.container };
  }
  return state ? (JSON.parse(state) as Started) : {};
}

/** Removes the runner's container(s) and deletes the runner through the API. Returns what it removed. */
export async function down(
  i: RunnerInputs,
  platform: Platform,
  api: RunnerApi,
  t: Partial<Started>,
): Promise<{ containers: number; runners: number }> {
  if (!t.label && !t.id && !t.container) {
    platform.warning(
      'nothing to take down: no label, runner-id or container given, and no runner started here',
    );
    return { containers: 0, runners: 0 };
  }
  const found = t.label ? await listRunnerContainers(t.label) : [];
  const names = new Map(found.map((c) => [c.id, c.name]));
  for (const ref of [t.container, t.name]) {
    const id = ref ? await containerId(ref) : undefined;
    if (id && ref) names.set(id, names.get(id) ?? ref);
  }
  const ids = new Set<number>();
  if (t.id) ids.add(t.id);
  for (const c of found) if (c.labels[Labels.id]) ids.add(Number(c.labels[Labels.id]));
  let containers = 0;
  let runners = 0;
  await platform.group('Take the runner down', async () => {
    for (const [id, n] of names) {
      if (await removeContainer(id)) {
        containers++;
        platform.info(`removed container ${n}`);
      }
    }
    for (const id of ids) {
      if (await api.remove(id)) {
        runners++;
        platform.info(`deleted ${i.provider} runner ${id}`);
      } else platform.info(`${i.provider} runner ${id} was already gone`);
    }
  });
  platform.setOutput(Outputs.removedContainers, containers);
  platform.setOutput(Outputs.removedRunners, runners);
  return { containers, runners };
}

/**
 * Host- and API-side sweep. Removes runner containers of ours that exited or whose own TTL labels
 * have run out (and deletes their API runners), then deletes API runners of ours (name prefix) older than `ttl` that are not online.
 */
export async function gc(
  i: RunnerInputs,
  platform: Platform,
  api: RunnerApi | undefined,
  now = Date.now(),
): Promise<{ containers: number; runners: number }> {
  let containers = 0;
  let runners = 0;
  const tried = new Set<number>();
  const remove = async (id: number, why: string) => {
    if (!api || tried.has(id)) return;
    tried.add(id);
    if (await api.remove(id)) {
      runners++;
      platform.info(`deleted ${api.provider} runner ${id} (${why})`);
    }
  };
  await platform.group('Remove expired runner containers', async () => {
    for (const c of await listRunnerContainers()) {
      // Only ours: on a shared host another team's runners may use other prefixes and rules.
      if (!c.name.startsWith(`${i.namePrefix}-`)) continue;
      // An exited runner has served its one job (or failed): nothing will use it again.
      const finished = c.status === 'exited' || c.status === 'dead';
      if (!finished && !containerExpired(c.labels, now)) continue;
      if (await removeContainer(c.id)) {
        containers++;
        platform.info(`removed ${c.name} (${finished ? c.status : `TTL ${c.labels[Labels.ttl]}s ran out`})`);
      }
      const id = Number(c.labels[Labels.id]);
      if (c.labels[Labels.provider] === api?.provider && id > 0) await remove(id, 'its container expired');
    }
  });
  if (api) {
    await platform.group(`Delete stale ${api.provider} runners named ${i.namePrefix}-…`, async () => {
      for (const r of await api.list()) {
        if (r.status === 'online' || !isExpired(i.namePrefix, r.name, i.ttlMs, now)) continue;
        await remove(r.id, `${r.status}, older than the TTL`);
      }
    });
  } else {
    platform.info('no token or scope given: API runners not swept (containers only)');
  }
  platform.setOutput(Outputs.removedContainers, containers);
  platform.setOutput(Outputs.removedRunners, runners);
  return { containers, runners };
}
