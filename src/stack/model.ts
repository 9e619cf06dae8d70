import { readFile } from 'node:fs/promises';
import { isMap, isScalar, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { UserError } from '../core/errors.js';

/** Where something is defined in the user's compose files. */
export interface Place {
  file: string;
  line: number;
  col?: number;
}

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

function topKeys(doc: YAMLMap | undefined, key: string): [string, Node | null, number][] {
  const section = doc?.get(key, true);
  if (!isMap(section)) return [];
  return section.items.flatMap((pair) => {
    if (!isScalar(pair.key)) return [];
    return [[String(pair.key.value), pair.value as Node | null, pair.key.range?.[0] ?? 0]];
  });
}

function profilesOf(node: Node | null): string[] | undefined {
  const list = isMap(node) ? node.get('profiles') : undefined;
  if (list === undefined) return undefined;
  const js: unknown = (list as { toJSON?: () => unknown }).toJSON?.() ?? list;
  return Array.isArray(js) ? js.map(String) : [];
}

function has(node: Node | null, key: string): boolean {
  return isMap(node) && node.has(key);
}

/**
 * Parses compose files (in `-f` order) into a small model, so errors can name file, line and key
 * before compose runs. Throws `UserError` with `file:line:col` on a YAML syntax error.
 */
export function parseCompose(sources: readonly { file: string; text: string }[]): ComposeModel {
  const model: ComposeModel = {
    services: new Map(),
    networks: new Set(),
    volumes: new Set(),
    external: new Set(),
    servicesPlace: { file: sources[0]?.file ?? 'compose.yml', line: 1 },
  };
  for (const { file, text } of sources) {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    const bad = doc.errors[0];
    if (bad) {
      const pos = lines.linePos(bad.pos[0]);
      throw new UserError(`YAML syntax error: ${bad.message.split('\n')[0]}`, {
        file,
        line: pos.line,
        col: pos.col,
      });
    }
    const root = doc.contents;
    if (root !== null && !isMap(root)) {
      throw new UserError('expected a mapping with a "services:" key', { file, line: 1 });
    }
    const servicesKey = root?.items.find((p) => isScalar(p.key) && p.key.value === 'services');
    if (servicesKey && isScalar(servicesKey.key) && model.services.size === 0) {
      model.servicesPlace = { file, line: lines.linePos(servicesKey.key.range?.[0] ?? 0).line };
    }
    for (const [name, node, offset] of topKeys(root ?? undefined, 'services')) {
      const pos = lines.linePos(offset);
      const prev = model.services.get(name);
      const usesNetworks = has(node, 'networks') || has(node, 'network_mode');
      model.services.set(name, {
        name,
        place: prev?.place ?? { file, line: pos.line, col: pos.col },
        build: (prev?.build ?? false) || has(node, 'build'),
        defaultNetwork: prev ? prev.defaultNetwork && !usesNetworks : !usesNetworks,
        profiles: profilesOf(node) ?? prev?.profiles ?? [],
      });
    }
    for (const [kind, set] of [
      ['networks', model.networks],
      ['volumes', model.volumes],
    ] as const) {
      for (const [name, node] of topKeys(root ?? undefined, kind)) {
        if (has(node, 'external') && isMap(node) && node.get('external') !== false) {
          set.delete(name);
          model.external.add(name);
        } else set.add(name);
      }
    }
  }
  return model;
}

/** Reads and parses compose files from disk; a missing file is a `UserError` naming it. */
export async function loadCompose(
  files: readonly string[],
  display: readonly string[],
): Promise<ComposeModel> {
  const sources = await Promise.all(
    files.map(async (path, i) => {
      try {
        return { file: display[i], text: await readFile(path, 'utf8') };
      } catch {
        throw new UserError('compose file not found', { file: display[i], field: 'input "compose-file"' });
      }
    }),
  );
  return parseCompose(sources);
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
