import { containersWithLabels, docker, inspect } from '../docker/cli.js';
import { Label } from './override.js';
import type { ContainerInfo } from './status.js';

export const PROJECT_LABEL = 'com.docker.compose.project';

export type ResourceKind = 'container' | 'network' | 'volume';

/** A labelled Docker object: id, kind and the shipkit labels gc decides on. */
export interface Resource {
  kind: ResourceKind;
  id: string;
  project: string;
  owner: string;
  /** Unix seconds; NaN when the label is missing or bad. */
  created: number;
}

/** Inspect data of every container of a compose project (running or not). */
export async function projectContainers(project: string): Promise<ContainerInfo[]> {
  const ids = await containersWithLabels([`${PROJECT_LABEL}=${project}`]);
  // A container can vanish between ps and inspect (compose recreating it): retry once on that race.
  try {
    return await inspect<ContainerInfo>(ids, 'container');
  } catch {
    const again = await containersWithLabels([`${PROJECT_LABEL}=${project}`]);
    return inspect<ContainerInfo>(again, 'container');
  }
}

const FORMAT = `{{.ID}}\t{{.Label "${Label.project}"}}\t{{.Label "${Label.owner}"}}\t{{.Label "${Label.created}"}}`;
const LIST: Record<ResourceKind, string[]> = {
  container: ['ps', '-a', '--no-trunc'],
  network: ['network', 'ls', '--no-trunc'],
  volume: ['volume', 'ls'],
};

/** Every Docker object of `kind` that carries all of `labels` (`key` or `key=value`). */
export async function listLabelled(kind: ResourceKind, labels: readonly string[]): Promise<Resource[]> {
  const format = kind === 'volume' ? FORMAT.replace('{{.ID}}', '{{.Name}}') : FORMAT;
  const filters = labels.flatMap((l) => ['--filter', `label=${l}`]);
  const r = await docker([...LIST[kind], ...filters, '--format', format]);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, project, owner, created] = line.split('\t');
      return { kind, id, project, owner, created: Number(created || NaN) };
    });
}

/** Removes objects: containers first (with their anonymous volumes), then networks, then volumes. */
export async function removeResources(items: readonly Resource[]): Promise<number> {
  let removed = 0;
  const ids = (k: ResourceKind) => items.filter((i) => i.kind === k).map((i) => i.id);
  const steps: [ResourceKind, string[]][] = [
    ['container', ['rm', '-f', '-v']],
    ['network', ['network', 'rm']],
    ['volume', ['volume', 'rm', '-f']],
  ];
  for (const [kind, cmd] of steps) {
    for (const id of ids(kind)) {
      // One by one: a single failure (already gone, still in use) must not keep the rest alive.
      const r = await docker([...cmd, id], { check: false });
      if (r.code === 0) removed++;
    }
  }
  return removed;
}

/** Everything compose made for one project, by compose's own project label (also unlabelled leftovers). */
export async function projectResources(project: string): Promise<Resource[]> {
  const label = [`${PROJECT_LABEL}=${project}`];
  const [c, n, v] = await Promise.all([
    listLabelled('container', label),
    listLabelled('network', label),
    listLabelled('volume', label),
  ]);
  return [...c, ...n, ...v];
}

export interface GcFilter {
  olderThanMs: number;
  nowMs: number;
  owner?: string;
  projectPrefix?: string;
}

/** Which labelled objects `gc` removes: older than the age, and of the owner / project prefix if given. */
export function selectGarbage(items: readonly Resource[], f: GcFilter): Resource[] {
  const cutoff = (f.nowMs - f.olderThanMs) / 1000;
  return items.filter(
    (i) =>
      Number.isFinite(i.created) &&
      i.created <= cutoff &&
      (f.owner === undefined || i.owner === f.owner) &&
      (f.projectPrefix === undefined || i.project.startsWith(f.projectPrefix)),
  );
}

/** All shipkit stack objects on this engine (label `dev.shipkit.kind=stack`). */
export async function stackResources(): Promise<Resource[]> {
  const label = [`${Label.kind}=stack`];
  const lists = await Promise.all(
    (['container', 'network', 'volume'] as const).map((k) => listLabelled(k, label)),
  );
  return lists.flat();
}
