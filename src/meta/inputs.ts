import type { InputReader } from '../core/inputs.js';
import { stepReader } from '../core/interface.js';
import { metaInterface } from '../generated/meta.js';
import { processEnv, type Env } from '../platform/context.js';
import { listInput } from './csv.js';

/** Input names, exactly as docker/metadata-action names them. */
export const Inputs = {
  context: 'context',
  images: 'images',
  tags: 'tags',
  flavor: 'flavor',
  labels: 'labels',
  annotations: 'annotations',
  sepTags: 'sep-tags',
  sepLabels: 'sep-labels',
  sepAnnotations: 'sep-annotations',
  bakeTarget: 'bake-target',
  githubToken: 'github-token',
} as const;

export const Outputs = {
  version: 'version',
  tags: 'tags',
  tagNames: 'tag-names',
  labels: 'labels',
  annotations: 'annotations',
  json: 'json',
  bakeFile: 'bake-file',
  bakeFileTags: 'bake-file-tags',
  bakeFileLabels: 'bake-file-labels',
  bakeFileAnnotations: 'bake-file-annotations',
} as const;

export interface MetaInputs {
  context: 'workflow' | 'git';
  images: string[];
  tags: string[];
  flavor: string[];
  labels: string[];
  annotations: string[];
  sepTags: string;
  sepLabels: string;
  sepAnnotations: string;
  bakeTarget: string;
  githubToken?: string;
  /** Also export the outputs as `DOCKER_METADATA_OUTPUT_*` variables (GitHub only), as metadata-action does. */
  exportEnv: boolean;
  /** The CI environment the Git/CI context is read from. */
  env: Env;
}

/**
 * Reads the inputs; list inputs follow metadata-action's CSV rules (quotes, `#` comments). Defaults come
 * from actions/meta/action.yml (the generated interface); `DOCKER_METADATA_SET_OUTPUT_ENV` (default on)
 * and the CI context are read here, from `env`.
 */
export function getInputs(reader: InputReader, env: Env = processEnv()): MetaInputs {
  const r = stepReader(reader, metaInterface);
  const list = (name: keyof typeof metaInterface.inputs) => listInput(r.optional(name) ?? '');
  return {
    context: r.choice(Inputs.context),
    images: list(Inputs.images),
    tags: list(Inputs.tags),
    flavor: list(Inputs.flavor),
    labels: list(Inputs.labels),
    annotations: list(Inputs.annotations),
    sepTags: r.rawValue(Inputs.sepTags),
    sepLabels: r.rawValue(Inputs.sepLabels),
    sepAnnotations: r.rawValue(Inputs.sepAnnotations),
    bakeTarget: r.string(Inputs.bakeTarget),
    githubToken: r.optional(Inputs.githubToken),
    exportEnv: !/^false$/i.test(env.DOCKER_METADATA_SET_OUTPUT_ENV ?? ''),
    env,
  };
}
