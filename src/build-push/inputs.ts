import { UserError } from '../core/errors.js';
import type { InputReader } from '../core/inputs.js';
import { stepReader, type StepReader } from '../core/interface.js';
import { buildPushInterface } from '../generated/build-push.js';
import { readBuildKitInputs, type BuildKitInputs } from './buildkit.js';
import { processEnv, type Env } from '../platform/context.js';
import { isTagName, parseRef } from '../docker/refs.js';

export const Inputs = {
  context: 'context',
  file: 'file',
  target: 'target',
  buildArgs: 'build-args',
  platforms: 'platforms',
  tags: 'tags',
  labels: 'labels',
  images: 'images',
  name: 'name',
  composeFile: 'compose-file',
  services: 'services',
  project: 'project',
  maxParallel: 'max-parallel',
  push: 'push',
  noCache: 'no-cache',
  cache: 'cache',
  cacheFrom: 'cache-from',
  cacheTo: 'cache-to',
  provenance: 'provenance',
  builder: 'builder',
  registry: 'registry',
  username: 'username',
  password: 'password',
  githubToken: 'github-token',
  logout: 'logout',
  retries: 'retries',
  retryDelay: 'retry-delay',
  maxSize: 'max-size',
  secrets: 'secrets',
  secretFiles: 'secret-files',
  ssh: 'ssh',
  sbom: 'sbom',
  attests: 'attests',
  outputs: 'outputs',
  annotations: 'annotations',
  network: 'network',
  shmSize: 'shm-size',
  ulimit: 'ulimit',
  addHosts: 'add-hosts',
} as const;

export const Outputs = {
  digest: 'digest',
  imageid: 'imageid',
  tags: 'tags',
  size: 'size',
  images: 'images',
} as const;

/** The `builder` input's values, from actions/build-push/action.yml. */
export const BUILDERS = buildPushInterface.inputs.builder.options;
export type BuilderChoice = (typeof BUILDERS)[number];

export interface BuildPushInputs {
  context: string;
  file?: string;
  target?: string;
  /** `--build-arg` pairs, in input order (values may hold commas, `=`, quotes, backticks). */
  buildArgs: [string, string][];
  platforms: string[];
  /** Single-image mode: full references. Compose mode: tag names applied to every service image. */
  tags: string[];
  labels: [string, string][];
  /** Image names for `meta` (used only when `tags` is empty and a meta resolver is wired). */
  images: string[];
  name?: string;
  /** Compose files (`-f`, in order); compose mode when any is given. */
  composeFiles: string[];
  services: string[];
  project?: string;
  maxParallel: number;
  push: boolean;
  noCache: boolean;
  cache: boolean;
  cacheFrom: string[];
  cacheTo: string[];
  provenance: boolean;
  builder: BuilderChoice;
  registry?: string;
  username?: string;
  password?: string;
  githubToken?: string;
  logout: boolean;
  retries: number;
  retryDelayMs: number;
  maxSize?: number;
  /** The BuildKit inputs of docker/build-push-action, validated (buildkit.ts). */
  buildkit: BuildKitInputs;
}

function bad(input: string, index: number, message: string): never {
  throw new UserError(message, { field: `input "${input}" line ${index + 1}` });
}

/** `KEY=value` lines split on the first `=`; the key must match `keyPattern`. */
function pairs(
  reader: StepReader<typeof buildPushInterface>,
  input: keyof typeof buildPushInterface.inputs,
  keyPattern: RegExp,
  what: string,
): [string, string][] {
  return reader.lines(input).map((line, i) => {
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!keyPattern.test(key)) bad(input, i, `expected ${what}=value, got "${line}"`);
    return [key, line.slice(eq + 1)];
  });
}

/**
 * The inputs and the environment they are read with (compose interpolation, CI registry credentials,
 * meta's CI context): the one place build-push takes the environment, default the process's.
 */
export function getStepInputs(reader: InputReader, env: Env = processEnv()): BuildPushInputs & { env: Env } {
  return { ...getInputs(reader), env };
}

/** Reads and validates every input; defaults come from actions/build-push/action.yml (generated interface). */
export function getInputs(reader: InputReader): BuildPushInputs {
  const r = stepReader(reader, buildPushInterface);
  const composeFiles = r.list(Inputs.composeFile);
  const composeFile = composeFiles.length > 0;
  const tags = r.lines(Inputs.tags).flatMap((l) =>
    l
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  tags.forEach((tag, i) => {
    if (composeFile && !isTagName(tag)) {
      bad(
        Inputs.tags,
        i,
        `with compose-file, tags are tag names (e.g. 1.2.3) applied to every service image; "${tag}" is not one`,
      );
    }
    if (!composeFile && !parseRef(tag)) {
      bad(
        Inputs.tags,
        i,
        `invalid image reference "${tag}" (expected [registry/]name[:tag], lower-case name)`,
      );
    }
  });
  const name = r.optional(Inputs.name);
  if (name !== undefined && !/^[A-Za-z0-9][\w.-]*$/.test(name)) {
    throw new UserError(`expected a plain name (letters, digits, . _ -), got "${name}"`, {
      field: `input "${Inputs.name}"`,
    });
  }
  const buildkit = readBuildKitInputs({
    secrets: r.raw(Inputs.secrets),
    secretFiles: r.raw(Inputs.secretFiles),
    ssh: r.raw(Inputs.ssh),
    sbom: r.optional(Inputs.sbom),
    attests: r.raw(Inputs.attests),
    outputs: r.raw(Inputs.outputs),
    annotations: r.raw(Inputs.annotations),
    network: r.optional(Inputs.network),
    shmSize: r.optional(Inputs.shmSize),
    ulimit: r.raw(Inputs.ulimit),
    addHosts: r.raw(Inputs.addHosts),
  });
  const push = r.bool(Inputs.push);
  const maxSize = r.size(Inputs.maxSize);
  if (buildkit.outputs.length && (push || maxSize !== undefined)) {
    throw new UserError(
      `outputs sends the image only where it says, so shipkit can neither ${push ? 'push it (set push: false and add type=registry or type=image,push=true to outputs)' : 'measure it for max-size'}`,
      { field: `input "${Inputs.outputs}"` },
    );
  }
  return {
    buildkit,
    context: r.string(Inputs.context),
    file: r.optional(Inputs.file),
    target: r.optional(Inputs.target),
    buildArgs: pairs(r, Inputs.buildArgs, /^[A-Za-z_][A-Za-z0-9_]*$/, 'NAME'),
    platforms: r.list(Inputs.platforms),
    tags,
    labels: pairs(r, Inputs.labels, /^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'key'),
    images: r.lines(Inputs.images),
    name,
    composeFiles,
    services: r.list(Inputs.services),
    project: r.optional(Inputs.project),
    maxParallel: r.int(Inputs.maxParallel, { min: 1, max: 32 }),
    push,
    noCache: r.bool(Inputs.noCache),
    cache: r.bool(Inputs.cache),
    cacheFrom: r.lines(Inputs.cacheFrom),
    cacheTo: r.lines(Inputs.cacheTo),
    provenance: r.bool(Inputs.provenance),
    builder: r.choice(Inputs.builder),
    registry: r.optional(Inputs.registry),
    username: r.optional(Inputs.username),
    password: r.optional(Inputs.password),
    githubToken: r.optional(Inputs.githubToken),
    logout: r.bool(Inputs.logout),
    retries: r.int(Inputs.retries, { min: 1, max: 20 }),
    retryDelayMs: r.duration(Inputs.retryDelay),
    maxSize,
  };
}
