import {
  isExternal,
  onDefaultNetwork,
  readCompose,
  servicesInFileOrder,
  type Place,
  type ReadComposeOptions,
  type ResolvedCompose,
} from '../compose/model.js';
import { UserError } from '../core/errors.js';

export type { Place };

export interface ServiceInfo {
  name: string;
  place: Place;
  /** Has a `build:` section (can be built here). */
  build: boolean;
  /** Uses the default network (no `networks:` key and no `network_mode`). */
  defaultNetwork: boolean;
  /** Its `profiles:` (empty: always started). */
  profiles: string[];
}

/** The parts of the merged compose model that shipkit needs, with source locations. */
export interface ComposeModel {
  services: Map<string, ServiceInfo>;
  /** Non-external networks and volumes declared at the top level. */
  networks: Set<string>;
  volumes: Set<string>;
  /** Networks and volumes declared `external` (never labelled, never removed). */
  external: Set<string>;
  /** Where `services:` is, for errors about services that do not exist. */
  servicesPlace: Place;
}

/**
 * The small model shipkit needs, from the model compose printed: services in the order the user wrote
 * them with the line that defines each, which use the default network, and the declared networks and
 * volumes (external ones apart: compose never labels or removes those).
 */
export function modelOf(r: ResolvedCompose): ComposeModel {
  const model: ComposeModel = {
    services: new Map(),
    networks: new Set(),
    volumes: new Set(),
    external: new Set(),
    servicesPlace: { file: r.locate().file, line: r.locate().line },
  };
  for (const name of servicesInFileOrder(r)) {
    const svc = r.model.services[name];
    model.services.set(name, {
      name,
      place: r.locate(name),
      build: svc.build !== undefined,
      defaultNetwork: onDefaultNetwork(svc),
      profiles: (svc.profiles ?? []).map(String),
    });
  }
  for (const [kind, set] of [
    ['networks', model.networks],
    ['volumes', model.volumes],
  ] as const) {
    for (const [name, res] of Object.entries(r.model[kind])) {
      if (isExternal(res)) model.external.add(name);
      else if (!(kind === 'networks' && name === 'default')) set.add(name);
    }
  }
  return model;
}

/** Reads the compose files through compose (see `src/compose/model.ts`); errors name file and line. */
export async function loadCompose(o: ReadComposeOptions): Promise<ComposeModel> {
  return modelOf(await readCompose(o));
}

/**
 * Checks that every service named in an input (`scale`, `images`) exists; the error points at the
 * `services:` key of the compose file and lists the services there.
 */
export function checkServices(model: ComposeModel, names: readonly string[], input: string): void {
  const known = [...model.services.keys()];
  for (const name of names) {
    if (model.services.has(name)) continue;
    throw new UserError(
      `input "${input}" names service "${name}", which is not defined (services: ${known.join(', ') || 'none'})`,
      { file: model.servicesPlace.file, line: model.servicesPlace.line, field: 'services' },
    );
  }
}
