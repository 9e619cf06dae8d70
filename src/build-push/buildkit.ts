/**
 * The BuildKit inputs of docker/build-push-action (`secrets`, `secret-files`, `ssh`, `sbom`, `attests`,
 * `outputs`, `annotations`, `network`, `shm-size`, `ulimit`, `add-hosts`, `cache-from`/`cache-to`),
 * read with the same list syntax and turned into the flags `docker buildx build` documents. What a
 * builder cannot do is refused before anything is built, naming the input, never dropped.
 */
import { net } from '../core/builtins.js';
import { UserError } from '../core/errors.js';

/** A build secret: its id and where its value comes from (the value itself never reaches argv). */
export type Secret = { id: string; value: string } | { id: string; file: string };

export interface BuildKitInputs {
  secrets: Secret[];
  ssh: string[];
  /** `sbom` input as given (`true`, `false` or attributes such as `generator=image`). */
  sbom?: string;
  attests: string[];
  outputs: string[];
  annotations: string[];
  network?: string;
  shmSize?: string;
  ulimits: string[];
  addHosts: string[];
}

export const NO_BUILDKIT_INPUTS: BuildKitInputs = {
  secrets: [],
  ssh: [],
  attests: [],
  outputs: [],
  annotations: [],
  ulimits: [],
  addHosts: [],
};

/**
 * A list input as docker/build-push-action reads it (actions-toolkit `getInputList`, a CSV reader with
 * relaxed quotes): one item per line, or per comma unless `ignoreComma`; a field starting with `"` runs
 * to its closing quote across commas and newlines (`""` is a quote), so a multi-line secret is written
 * `"KEY=line1↵line2"`. Items are trimmed; empty ones dropped. Throws on an unclosed quote.
 */
export function parseList(text: string, { ignoreComma = false } = {}): string[] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let atStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (atStart && ch === '"') {
      const end = closingQuote(text, i + 1);
      field += text.slice(i + 1, end).replaceAll('""', '"');
      i = end;
      atStart = false;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      atStart = true;
    } else if (ch === '\n' || ch === '\r') {
      fields.push(field);
      records.push(fields);
      fields = [];
      field = '';
      atStart = true;
    } else {
      field += ch;
      atStart = false;
    }
  }
  fields.push(field);
  records.push(fields);
  const items = records.flatMap((r) => (ignoreComma ? [r.join(',')] : r));
  return items.map((s) => s.trim()).filter(Boolean);
}

function closingQuote(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    if (text[j] !== '"') continue;
    if (text[j + 1] === '"') j++;
    else return j;
  }
  throw new Error('a quoted value has no closing quote');
}

const bad = (input: string, message: string): never => {
  throw new UserError(message, { field: `input "${input}"` });
};

/** A secret id as buildx parses `--secret` (CSV `key=value` fields): no `,` `=` `"` or whitespace. */
const SECRET_ID = /^[A-Za-z0-9_.\-/]+$/;

/** `KEY=value` lines (`secrets`) or `KEY=path` lines (`secret-files`), split on the first `=`. */
export function parseSecrets(items: readonly string[], input: 'secrets' | 'secret-files'): Secret[] {
  return items.map((item, n) => {
    const eq = item.indexOf('=');
    const id = eq > 0 ? item.slice(0, eq) : '';
    // The value is never echoed: an error shows the id (or the line number) only.
    if (!SECRET_ID.test(id)) {
      bad(
        input,
        `line ${n + 1}: expected ${input === 'secrets' ? 'ID=value' : 'ID=path'} with an id of letters, digits, . _ - /`,
      );
    }
    const rest = item.slice(eq + 1);
    if (input === 'secrets') return { id, value: rest };
    if (!rest || /[,"\n\r]/.test(rest)) bad(input, `${id}: expected a file path without , " or a newline`);
    return { id, file: rest };
  });
}

const SSH = /^[A-Za-z0-9_.-]+(=[^,\s"=]+)?$/;
const ULIMIT = /^[a-z]+=-?\d{1,19}(:-?\d{1,19})?$/;
/** docker's RAMInBytes grammar: `64m`, `2g`, `1.5GB`, `512` (no exponents). */
const SHM_SIZE = /^\d{1,15}(\.\d{1,15})? ?[kmgtp]?i?b?$/i;
const NETWORK = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
/** `type=…` lists as buildx parses them: comma-separated `key=value` fields, the first naming the type. */
const ATTRS = /^type=[a-z0-9-]+(,[A-Za-z0-9_.-]+=[^,\n\r]*)*$/;

function addHost(item: string, input: string): string {
  const m = /^([^:=]+)[:=](.+)$/.exec(item);
  const ip = m?.[2].replace(/^\[(.*)\]$/, '$1');
  if (!m || !HOST.test(m[1]) || !(ip === 'host-gateway' || (ip && net().isIP(ip))))
    bad(input, `expected host:ip (e.g. db.local:10.0.0.5), got "${item}"`);
  return item;
}

function each(items: readonly string[], input: string, re: RegExp, what: string): string[] {
  for (const item of items) if (!re.test(item)) bad(input, `expected ${what}, got "${item}"`);
  return [...items];
}

/** Raw texts of the BuildKit inputs (undefined when not given). */
export interface BuildKitRaw {
  secrets?: string;
  secretFiles?: string;
  ssh?: string;
  sbom?: string;
  attests?: string;
  outputs?: string;
  annotations?: string;
  network?: string;
  shmSize?: string;
  ulimit?: string;
  addHosts?: string;
}

/** Reads and validates the BuildKit inputs; every error is a `UserError` naming the input. */
export function readBuildKitInputs(raw: BuildKitRaw): BuildKitInputs {
  const list = (input: string, text: string | undefined, ignoreComma: boolean) => {
    try {
      return parseList(text ?? '', { ignoreComma });
    } catch (err: unknown) {
      return bad(input, (err as Error).message);
    }
  };
  const sbom = raw.sbom?.trim() || undefined;
  if (sbom && !/^(true|false)$/i.test(sbom) && !/^[A-Za-z0-9_.-]+=[^\n\r]*$/.test(sbom))
    bad('sbom', `expected true, false or attributes such as generator=image, got "${sbom}"`);
  const network = raw.network?.trim() || undefined;
  if (network && !NETWORK.test(network))
    bad('network', `expected a network mode (default, none, host) or name, got "${network}"`);
  const shmSize = raw.shmSize?.trim() || undefined;
  if (shmSize && !SHM_SIZE.test(shmSize))
    bad('shm-size', `expected a size such as 64m or 2g, got "${shmSize}"`);
  return {
    secrets: [
      ...parseSecrets(list('secrets', raw.secrets, true), 'secrets'),
      ...parseSecrets(list('secret-files', raw.secretFiles, true), 'secret-files'),
    ],
    ssh: each(list('ssh', raw.ssh, false), 'ssh', SSH, 'default or id[=socket or key path]'),
    sbom,
    attests: each(list('attests', raw.attests, true), 'attests', ATTRS, 'type=sbom|provenance[,key=value…]'),
    outputs: each(
      list('outputs', raw.outputs, true),
      'outputs',
      ATTRS,
      'type=registry|image|docker|local|tar|oci[,key=value…]',
    ),
    annotations: each(
      list('annotations', raw.annotations, true),
      'annotations',
      /^([a-z-]+(\[[^\]\n]*\])?(,[a-z-]+)*:)?[A-Za-z0-9][\w.\-/]*=[^\n\r]*$/,
      '[type:]key=value',
    ),
    network,
    shmSize,
    ulimits: each(
      list('ulimit', raw.ulimit, true),
      'ulimit',
      ULIMIT,
      'name=soft[:hard] (e.g. nofile=1024:2048)',
    ),
    addHosts: list('add-hosts', raw.addHosts, false).map((h) => addHost(h, 'add-hosts')),
  };
}

/** `type=x,…` → x (cache, attestation and output specs); a bare reference (no `=`) is a registry cache. */
export function specType(spec: string): string {
  return spec.includes('=') ? (/(?:^|,)type=([^,]*)/.exec(spec)?.[1] ?? 'registry') : 'registry';
}

const CACHE_FROM_TYPES = ['registry', 'gha', 'local', 's3', 'azblob'];
const CACHE_TO_TYPES = [...CACHE_FROM_TYPES, 'inline'];

/** Checks `cache-from`/`cache-to` entries (types and, for `gha`, the Actions cache service). */
export function checkCache(
  from: readonly string[],
  to: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): void {
  for (const [input, specs, types] of [
    ['cache-from', from, CACHE_FROM_TYPES],
    ['cache-to', to, CACHE_TO_TYPES],
  ] as const) {
    for (const spec of specs) {
      if (/[\n\r"]/.test(spec)) bad(input, 'a cache entry cannot hold a newline or a quote');
      const type = specType(spec);
      if (!types.includes(type))
        bad(input, `unknown cache type "${type}" (expected one of: ${types.join(', ')})`);
      // buildx reads the service's address and token from the runner's environment (or url=/token=).
      const hasService = (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL) && env.ACTIONS_RUNTIME_TOKEN;
      if (type === 'gha' && !hasService && !/(^|,)url=/.test(spec))
        bad(
          input,
          'type=gha needs the GitHub Actions cache service (ACTIONS_CACHE_URL/ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN), which only a GitHub Actions job has',
        );
    }
  }
}

type Builder = 'buildx' | 'buildkit' | 'classic';

/** The input a secret came from. */
const secretInput = (s: Secret) => ('file' in s ? 'secret-files' : 'secrets');

/**
 * The first input this builder cannot honour, or undefined. buildx does all; `docker build` with
 * BuildKit (CLI before 23) takes secrets, ssh, network and add-hosts; the classic builder takes
 * network, shm-size, ulimit, add-hosts and registry caches only.
 */
export function unsupportedInput(
  builder: Builder,
  b: BuildKitInputs,
  cacheFrom: readonly string[],
  cacheTo: readonly string[],
): string | undefined {
  if (builder === 'buildx') return undefined;
  const classic = builder === 'classic';
  const used: [string, boolean][] = [
    ...b.secrets.map((s) => [secretInput(s), classic] as [string, boolean]),
    ['ssh', classic && b.ssh.length > 0],
    ['sbom', b.sbom !== undefined && !/^false$/i.test(b.sbom)],
    ['attests', b.attests.length > 0],
    ['outputs', b.outputs.length > 0],
    ['annotations', b.annotations.length > 0],
    ['shm-size', !classic && b.shmSize !== undefined],
    ['ulimit', !classic && b.ulimits.length > 0],
    ['cache-to', cacheTo.length > 0],
    ['cache-from', cacheFrom.some((c) => specType(c) !== 'registry')],
  ];
  return used.find(([, refused]) => refused)?.[0];
}

/** A file `docker build` (BuildKit, CLI before 23) reads a secret from: it has no `env=` source. */
export interface SecretFile {
  path: string;
  value: string;
}

export interface BuildKitArgs {
  args: string[];
  /** Secret values for the build's environment (`--secret id=X,env=SHIPKIT_SECRET_n`). */
  env: Record<string, string>;
  /** Secret values to write (mode 0600) before the build and remove after. */
  files: SecretFile[];
}

/**
 * The flags for the BuildKit inputs, as `docker buildx build` documents them (`--secret`, `--ssh`,
 * `--attest`, `--output`, `--annotation`, `--network`, `--shm-size`, `--ulimit`, `--add-host`).
 * Every value is one `--flag=value` argument, so none can be read as another flag. Secret values go
 * through the environment (buildx) or a file in `secretDir` (`docker build`), never argv.
 * Call `unsupportedInput` first: this leaves out nothing on its own.
 */
export function buildKitArgs(builder: Builder, b: BuildKitInputs, secretDir: string): BuildKitArgs {
  const args: string[] = [];
  const env: Record<string, string> = {};
  const files: SecretFile[] = [];
  b.secrets.forEach((s, n) => {
    if ('file' in s) args.push(`--secret=id=${s.id},src=${s.file}`);
    else if (builder === 'buildx') {
      env[`SHIPKIT_SECRET_${n}`] = s.value;
      args.push(`--secret=id=${s.id},env=SHIPKIT_SECRET_${n}`);
    } else {
      const path = `${secretDir}/secret-${n}`;
      files.push({ path, value: s.value });
      args.push(`--secret=id=${s.id},src=${path}`);
    }
  });
  for (const s of b.ssh) args.push(`--ssh=${s}`);
  if (b.sbom !== undefined) {
    const attrs = /^true$/i.test(b.sbom)
      ? 'disabled=false'
      : /^false$/i.test(b.sbom)
        ? 'disabled=true'
        : b.sbom;
    if (builder === 'buildx') args.push(`--attest=type=sbom,${attrs}`);
  }
  // The sbom input wins over a type=sbom entry of attests, as in build-push-action.
  for (const a of b.attests)
    if (!(b.sbom !== undefined && specType(a) === 'sbom')) args.push(`--attest=${a}`);
  for (const o of b.outputs) args.push(`--output=${o}`);
  for (const a of b.annotations) args.push(`--annotation=${a}`);
  if (b.network) args.push(`--network=${b.network}`);
  if (b.shmSize) args.push(`--shm-size=${b.shmSize}`);
  for (const u of b.ulimits) args.push(`--ulimit=${u}`);
  for (const h of b.addHosts) args.push(`--add-host=${h}`);
  return { args, env, files };
}

/** Whether `attests` asks for provenance itself (then shipkit's `--provenance=false` must not be added). */
export function attestsProvenance(b: BuildKitInputs): boolean {
  return b.attests.some((a) => specType(a) === 'provenance');
}
