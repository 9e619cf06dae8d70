import { stringify } from 'yaml';
import { UserError } from '../../core/errors.js';
import { stackLabels } from '../override.js';

/**
 * Keys of a service that `docker stack deploy` accepts (the compose file format 3.8 schema the docker CLI
 * validates against). Everything else in compose's merged model (`build`, `profiles`, `container_name`,
 * `depends_on`, `pull_policy`, `mem_limit`, …) is dropped with a notice: the CLI would reject the file.
 */
const SERVICE_KEYS = new Set([
  'cap_add',
  'cap_drop',
  'cgroup_parent',
  'command',
  'configs',
  'credential_spec',
  'deploy',
  'devices',
  'dns',
  'dns_search',
  'domainname',
  'entrypoint',
  'env_file',
  'environment',
  'expose',
  'external_links',
  'extra_hosts',
  'healthcheck',
  'hostname',
  'image',
  'init',
  'ipc',
  'isolation',
  'labels',
  'links',
  'logging',
  'mac_address',
  'network_mode',
  'networks',
  'pid',
  'ports',
  'privileged',
  'read_only',
  'restart',
  'secrets',
  'security_opt',
  'shm_size',
  'stdin_open',
  'stop_grace_period',
  'stop_signal',
  'sysctls',
  'tmpfs',
  'tty',
  'ulimits',
  'user',
  'userns_mode',
  'volumes',
  'working_dir',
]);
const PORT_KEYS = new Set(['mode', 'target', 'published', 'protocol']);
const HEALTH_KEYS = new Set(['test', 'interval', 'timeout', 'retries', 'start_period', 'disable']);
const NETWORK_KEYS = new Set([
  'driver',
  'driver_opts',
  'ipam',
  'external',
  'internal',
  'attachable',
  'labels',
  'name',
]);
const VOLUME_KEYS = new Set(['driver', 'driver_opts', 'external', 'labels', 'name']);
const MOUNT_KEYS = new Set([
  'type',
  'source',
  'target',
  'read_only',
  'consistency',
  'bind',
  'volume',
  'tmpfs',
]);

export interface StackFileInput {
  /** Compose's merged, interpolated model (`compose config`), parsed. */
  config: Record<string, unknown>;
  /** The services this run deploys (profiles applied). */
  active: readonly string[];
  project: string;
  owner: string;
  /** Unix seconds. */
  created: number;
  /** service → image to run instead of the file's `image:`. */
  images: Record<string, string>;
  /** service → replicas. */
  scale: Record<string, number>;
}

export interface StackFile {
  doc: Record<string, unknown>;
  /** `service.key` (or `networks.x.key`) entries dropped because a swarm stack cannot have them. */
  ignored: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function pick(v: Obj, keys: ReadonlySet<string>, where: string, ignored: string[]): Obj {
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (keys.has(k)) out[k] = x;
    else if (!k.startsWith('x-')) ignored.push(`${where}.${k}`);
  }
  return out;
}

function port(p: unknown, where: string, ignored: string[]): unknown {
  if (!isObj(p)) return p;
  const out = pick(p, PORT_KEYS, where, ignored);
  // compose v2 prints published ports as strings; the 3.x schema wants a number.
  if (typeof out.published === 'string' && /^\d+$/.test(out.published)) out.published = Number(out.published);
  if (typeof out.target === 'string' && /^\d+$/.test(out.target)) out.target = Number(out.target);
  return out;
}

function mount(m: unknown, where: string, ignored: string[]): unknown {
  if (!isObj(m)) return m;
  const out = pick(m, MOUNT_KEYS, where, ignored);
  if (isObj(out.bind)) {
    const { propagation } = out.bind;
    out.bind = propagation === undefined ? undefined : { propagation };
    if (out.bind === undefined) delete out.bind;
  }
  if (isObj(out.volume)) out.volume = 'nocopy' in out.volume ? { nocopy: out.volume.nocopy } : undefined;
  if (out.volume === undefined) delete out.volume;
  return out;
}

function service(name: string, raw: Obj, o: StackFileInput, labels: Obj, ignored: string[]): Obj {
  const svc = pick(raw, SERVICE_KEYS, `services.${name}`, ignored);
  const image = o.images[name] ?? svc.image;
  if (typeof image !== 'string' || !image) {
    throw new UserError(
      `service ${name} has no image: a swarm cannot build, so give it an image (input "images", or image: in the file)`,
      { field: `services.${name}` },
    );
  }
  svc.image = image;
  if (Array.isArray(svc.ports))
    svc.ports = svc.ports.map((p, i) => port(p, `services.${name}.ports[${i}]`, ignored));
  if (Array.isArray(svc.volumes))
    svc.volumes = svc.volumes.map((m, i) => mount(m, `services.${name}.volumes[${i}]`, ignored));
  if (isObj(svc.healthcheck))
    svc.healthcheck = pick(svc.healthcheck, HEALTH_KEYS, `services.${name}.healthcheck`, ignored);
  const deploy: Obj = isObj(svc.deploy) ? { ...svc.deploy } : {};
  deploy.labels = { ...(isObj(deploy.labels) ? deploy.labels : {}), ...labels };
  if (o.scale[name] !== undefined) {
    if (deploy.mode === 'global')
      throw new UserError(`service ${name} runs one task per node (mode: global): it cannot be scaled`, {
        field: 'input "scale"',
      });
    deploy.replicas = o.scale[name];
  }
  svc.deploy = deploy;
  return svc;
}

function topLevel(
  kind: 'networks' | 'volumes',
  o: StackFileInput,
  labels: Obj,
  ignored: string[],
  extra: string[],
): Obj {
  const keys = kind === 'networks' ? NETWORK_KEYS : VOLUME_KEYS;
  const section = isObj(o.config[kind]) ? o.config[kind] : {};
  const out: Obj = {};
  for (const name of new Set([...Object.keys(section), ...extra])) {
    const raw = isObj(section[name]) ? section[name] : {};
    const v = pick(raw, keys, `${kind}.${name}`, ignored);
    if (!v.external) v.labels = { ...(isObj(v.labels) ? v.labels : {}), ...labels };
    out[name] = v;
  }
  return out;
}

/**
 * Turns compose's merged model into a file `docker stack deploy` accepts: format 3.8, only the active
 * services, each with its image (a swarm never builds), shipkit's ownership labels on the services
 * (`deploy.labels`), networks and volumes (so `gc` finds them), and the replicas from `scale`.
 * Throws `UserError` for a service without an image or a scaled global service.
 */
export function stackFile(o: StackFileInput): StackFile {
  const ignored: string[] = [];
  const labels = stackLabels(o.project, o.owner, o.created);
  const all = isObj(o.config.services) ? o.config.services : {};
  const services: Obj = {};
  let usesDefault = false;
  for (const name of [...o.active].sort()) {
    const raw = all[name];
    if (!isObj(raw)) continue;
    services[name] = service(name, raw, o, labels, ignored);
    if (raw.networks === undefined && raw.network_mode === undefined) usesDefault = true;
    else if (isObj(raw.networks) && 'default' in raw.networks) usesDefault = true;
    else if (Array.isArray(raw.networks) && raw.networks.includes('default')) usesDefault = true;
  }
  const doc: Obj = { version: '3.8', services };
  const networks = topLevel('networks', o, labels, ignored, usesDefault ? ['default'] : []);
  if (Object.keys(networks).length) doc.networks = networks;
  const volumes = topLevel('volumes', o, labels, ignored, []);
  if (Object.keys(volumes).length) doc.volumes = volumes;
  for (const k of ['secrets', 'configs'] as const) if (isObj(o.config[k])) doc[k] = o.config[k];
  for (const k of Object.keys(o.config))
    if (
      !['version', 'name', 'services', 'networks', 'volumes', 'secrets', 'configs'].includes(k) &&
      !k.startsWith('x-')
    )
      ignored.push(k);
  return { doc, ignored };
}

/** Every string of a value we add with `$` doubled: `docker stack deploy` interpolates `$` (`$$` is one). */
function literals(v: unknown): unknown {
  if (typeof v === 'string') return v.replaceAll('$', '$$$$');
  if (Array.isArray(v)) return v.map(literals);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, literals(x)]));
  return v;
}

/**
 * The stack file's text. Compose's `config` output keeps user `$$` escaped, so its strings go out as they
 * are; only the values shipkit adds (labels, images) are escaped here.
 */
export function renderStackFile(o: StackFileInput): { text: string; ignored: string[] } {
  const escaped: StackFileInput = {
    ...o,
    owner: literals(o.owner) as string,
    project: o.project,
    images: literals(o.images) as Record<string, string>,
  };
  const { doc, ignored } = stackFile(escaped);
  return {
    text: `# Generated by shipkit stack (engine swarm) for stack ${o.project}; do not edit.\n${stringify(doc)}`,
    ignored,
  };
}
