/**
 * The colours on Docker Swarm: two services `<app>-blue` / `<app>-green` (endpoint mode dnsrr) on
 * the overlay network `<app>-net`, driven through the manager's Engine API.
 */
import { StepFailure } from '../../core/errors.js';
import { DockerApi, demuxLogs, dockerEndpoint, filters } from '../../docker/api.js';
import type { Engine } from '../seams.js';
import type { Progress, Replica } from '../engine.js';
import { LABEL, type AppSettings } from '../plan.js';
import type { Colour } from '../state.js';
import { colourService, colourServiceSpec, lbService, overlayNetwork } from './plan.js';

const apis = new Map<string, DockerApi>();

/** The manager's API client for these settings (one per engine address and process). */
export function apiFor(s: AppSettings): DockerApi {
  const key = s.swarm?.dockerHost ?? '';
  let api = apis.get(key);
  if (!api) {
    api = new DockerApi(dockerEndpoint(s.swarm?.dockerHost));
    apis.set(key, api);
  }
  return api;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ApiService {
  ID: string;
  Version: { Index: number };
  Spec: Record<string, unknown> & { Labels?: Record<string, string> };
}

interface ApiTask {
  ID: string;
  NodeID?: string;
  DesiredState: string;
  Status: { State: string; Err?: string; Message?: string; ContainerStatus?: { ContainerID?: string } };
  NetworksAttachments?: { Network: { Spec: { Name: string } }; Addresses?: string[] }[];
}

/** A service by name, or undefined. */
export function findService(s: AppSettings, name: string): Promise<ApiService | undefined> {
  return apiFor(s).find<ApiService>(`/services/${encodeURIComponent(name)}`);
}

/** Tasks of a service (by id) that Swarm wants running. */
export async function runningTasks(s: AppSettings, serviceId: string): Promise<ApiTask[]> {
  return apiFor(s).get<ApiTask[]>(
    `/tasks?${filters({ service: [serviceId], 'desired-state': ['running'] })}`,
  );
}

function replicaOf(s: AppSettings, t: ApiTask): Replica {
  const att = t.NetworksAttachments?.find((a) => a.Network.Spec.Name === overlayNetwork(s));
  const state = t.Status.State;
  return {
    id: t.ID,
    // A task's container hostname is its container id's first 12 digits (what X-Served-By says).
    hostname: (t.Status.ContainerStatus?.ContainerID ?? t.ID).slice(0, 12),
    running: state === 'running' || state === 'starting',
    // Swarm keeps a task `starting` until its healthcheck passes, then `running`.
    health: state === 'running' ? 'healthy' : state,
    ip: att?.Addresses?.[0]?.split('/')[0] ?? '',
  };
}

async function colourReplicas(s: AppSettings, c: Colour): Promise<Replica[]> {
  const svc = await findService(s, colourService(s, c));
  if (!svc) return [];
  return (await runningTasks(s, svc.ID)).map((t) => replicaOf(s, t));
}

async function servingReplicas(s: AppSettings, c: Colour): Promise<Replica[]> {
  return (await colourReplicas(s, c)).filter((r) => r.running && r.ip && r.health === 'healthy');
}

async function ensureNetwork(s: AppSettings): Promise<void> {
  const api = apiFor(s);
  if (await api.find(`/networks/${encodeURIComponent(overlayNetwork(s))}`)) return;
  await api
    .post('/networks/create', {
      Name: overlayNetwork(s),
      Driver: 'overlay',
      Attachable: true,
      CheckDuplicate: true,
      Labels: { [LABEL.app]: s.name },
    })
    .catch(async (err: unknown) => {
      // Another runner created it a moment ago: fine.
      if (!(await api.find(`/networks/${encodeURIComponent(overlayNetwork(s))}`))) throw err;
    });
}

/** Removes a service and waits (up to `waitMs`) until the manager no longer lists it. */
async function removeService(s: AppSettings, name: string, waitMs = 20_000): Promise<void> {
  const api = apiFor(s);
  await api.delete(`/services/${encodeURIComponent(name)}`);
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline && (await findService(s, name))) await sleep(200);
}

async function startColour(s: AppSettings, c: Colour, image: string, version: string): Promise<void> {
  // The idle colour is replaced whole: its old tasks leave DNS at once and drain in their grace period.
  await removeService(s, colourService(s, c));
  await apiFor(s).post('/services/create', colourServiceSpec(s, c, image, version));
}

/** Tasks of a service that ended badly (their error), newest first. */
async function failedTasks(s: AppSettings, c: Colour): Promise<string[]> {
  const svc = await findService(s, colourService(s, c));
  if (!svc) return [];
  const all = await apiFor(s).get<ApiTask[]>(`/tasks?${filters({ service: [svc.ID] })}`);
  return all
    .filter((t) => ['failed', 'rejected'].includes(t.Status.State))
    .map((t) => `${t.ID.slice(0, 12)} ${t.Status.State}: ${t.Status.Err ?? t.Status.Message ?? ''}`);
}

async function waitHealthy(
  s: AppSettings,
  c: Colour,
  timeoutMs: number,
  progress: Progress = () => {},
): Promise<Replica[]> {
  const start = Date.now();
  const said = new Map<string, string>();
  let seen: Replica[] = [];
  let beat = start;
  while (Date.now() - start < timeoutMs) {
    seen = await colourReplicas(s, c);
    for (const r of seen) {
      if (said.get(r.id) !== r.health) progress(`${c} task ${r.id.slice(0, 12)}: ${r.health}`);
      said.set(r.id, r.health);
    }
    const ok = seen.filter((r) => r.running && r.ip && r.health === 'healthy');
    if (ok.length >= s.replicas) return ok;
    // A task that keeps failing is replaced by Swarm forever: give up once it failed as often as there are replicas, twice.
    const failed = await failedTasks(s, c);
    if (failed.length >= 2 * s.replicas) {
      throw new StepFailure(`colour ${c} keeps failing on the swarm: ${failed.slice(0, 3).join('; ')}`);
    }
    if (Date.now() - beat >= 10_000) {
      beat = Date.now();
      progress(`waiting for ${c}: ${ok.length} of ${s.replicas} tasks healthy`);
    }
    await sleep(500);
  }
  const failed = await failedTasks(s, c);
  throw new StepFailure(
    `colour ${c} did not become healthy within ${Math.round(timeoutMs / 1000)}s (input health-timeout): ${
      seen.map((r) => `${r.id.slice(0, 12)}: ${r.health}`).join(', ') || 'no tasks'
    }${failed.length ? `; failed tasks: ${failed.slice(0, 3).join('; ')}` : ''}`,
  );
}

/**
 * A colour short of healthy replicas because a node left or restarted: Swarm starts replacements by
 * itself, so a promote right after waits for them (bounded) instead of failing at once. A colour whose
 * tasks keep failing ends the wait early (waitHealthy says so).
 */
async function rescheduled(
  s: AppSettings,
  c: Colour,
  timeoutMs: number,
  progress: Progress = () => {},
): Promise<Replica[]> {
  if (!(await findService(s, colourService(s, c)))) return [];
  try {
    return await waitHealthy(s, c, timeoutMs, progress);
  } catch (err: unknown) {
    if (!(err instanceof StepFailure)) throw err;
    progress(err.message);
    return servingReplicas(s, c);
  }
}

/** The last lines of a service's logs (all its tasks, on every node). */
export async function serviceLogs(s: AppSettings, name: string, tail = 40): Promise<string> {
  const svc = await findService(s, name);
  if (!svc) return '';
  const raw = await apiFor(s).call<Buffer>('GET', `/services/${svc.ID}/logs?stdout=1&stderr=1&tail=${tail}`, {
    raw: true,
    timeoutMs: 10_000,
  });
  return demuxLogs(raw).trim();
}

async function removeAll(s: AppSettings): Promise<void> {
  await Promise.all([
    removeService(s, colourService(s, 'blue')),
    removeService(s, colourService(s, 'green')),
    removeService(s, lbService(s)),
  ]);
  const api = apiFor(s);
  const configs = await api.get<{ ID: string; Spec: { Name: string } }[]>(
    `/configs?${filters({ label: [`${LABEL.app}=${s.name}`, `${LABEL.role}=lb`] })}`,
  );
  // The network and configs are freed once the tasks are gone on every node.
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await api.delete(`/networks/${encodeURIComponent(overlayNetwork(s))}`);
      for (const cfg of configs) await api.delete(`/configs/${cfg.ID}`);
      return;
    } catch (err: unknown) {
      if (Date.now() > deadline) throw err;
      await sleep(500);
    }
  }
}

export const swarmEngine: Engine = {
  ensureNetwork,
  startColour,
  waitHealthy,
  colourReplicas,
  servingReplicas,
  rescheduled,
  colourLogs: (s, c) => serviceLogs(s, colourService(s, c)),
  stopColour: (s, c) => removeService(s, colourService(s, c)),
  lbExists: async (s) => (await findService(s, lbService(s))) !== undefined,
  removeAll,
};
