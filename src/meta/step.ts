import { metaInterface } from '../generated/meta.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineStep } from '../core/step.js';
import type { Platform } from '../platform/types.js';
import { runContext } from '../platform/context.js';
import { getInputs, Inputs, Outputs, type MetaInputs } from './inputs.js';
import { computeMetaSync, type MetaComputed } from './compute.js';
import { metaContextFromEnv } from './context-env.js';
import { withGitContext } from './context-git.js';

export { getInputs, Inputs, Outputs, type MetaInputs };

/** `{"tags", "tag-names", "labels", "annotations"}` — the `json` output. */
export function jsonOutput(m: MetaComputed): string {
  return JSON.stringify({
    tags: m.tags,
    'tag-names': m.tagNames,
    labels: m.labels,
    annotations: m.annotations,
  });
}

/** The bake definitions metadata-action writes, by output name. */
export function bakeFiles(m: MetaComputed, target: string): Record<string, unknown> {
  const args = { DOCKER_META_IMAGES: m.images.join(','), DOCKER_META_VERSION: m.version };
  const labels = m.labels;
  const wrap = (def: Record<string, unknown>) => ({ target: { [target]: def } });
  return {
    [Outputs.bakeFileTags]: wrap({ tags: m.tags, args }),
    [Outputs.bakeFileLabels]: wrap({ labels }),
    [Outputs.bakeFileAnnotations]: wrap({ annotations: m.annotations }),
    [Outputs.bakeFile]: wrap({ tags: m.tags, labels, args }),
  };
}

/** DOCKER_METADATA_SET_OUTPUT_ENV (default on): outputs also as DOCKER_METADATA_OUTPUT_* on GitHub. */
function exportEnv(platform: Platform, outputs: Record<string, string>): void {
  if (platform.name !== 'github') return;
  for (const [name, value] of Object.entries(outputs))
    platform.exportVariable(`DOCKER_METADATA_OUTPUT_${name.replace(/\W/g, '_').toUpperCase()}`, value);
}

async function main(inputs: MetaInputs, platform: Platform): Promise<void> {
  const env = inputs.env;
  const uses = (s: string) => s.includes('commit_date');
  let ctx = await metaContextFromEnv(env, {
    token: inputs.githubToken,
    warn: (m) => platform.warning(m),
    debug: (m) => platform.debug(m),
    needCommitDate: [...inputs.tags, ...inputs.labels, ...inputs.annotations, ...inputs.flavor].some(uses),
  });
  if (inputs.context === 'git') ctx = await withGitContext(ctx, runContext(env).workspace);
  await platform.group('Context info', async () => {
    for (const [k, v] of Object.entries({ eventName: ctx.eventName, sha: ctx.sha, ref: ctx.ref }))
      platform.info(`${k}: ${v}`);
  });

  const meta = computeMetaSync(inputs, ctx, { warn: (m) => platform.warning(m) });
  if (!meta.version) platform.warning('No Docker image version has been generated. Check tags input.');
  if (!meta.tags.length) platform.warning('No Docker tag has been generated. Check tags input.');
  const labels = Object.entries(meta.labels).map(([k, v]) => `${k}=${v}`);
  const outputs: Record<string, string> = {
    [Outputs.version]: meta.version,
    [Outputs.tags]: meta.tags.join(inputs.sepTags),
    [Outputs.tagNames]: meta.tagNames.join(inputs.sepTags),
    [Outputs.labels]: labels.join(inputs.sepLabels),
    [Outputs.annotations]: meta.annotations.join(inputs.sepAnnotations),
    [Outputs.json]: jsonOutput(meta),
  };
  await platform.group('Docker image version', async () => platform.info(meta.version));
  await platform.group('Docker tags', async () => meta.tags.forEach((t) => platform.info(t)));
  await platform.group('Docker labels', async () => labels.forEach((l) => platform.info(l)));
  await platform.group('Annotations', async () => meta.annotations.forEach((a) => platform.info(a)));

  try {
    Object.assign(outputs, writeBakeFiles(meta, inputs.bakeTarget, runContext(env).tempDir ?? tmpdir()));
  } catch (err: unknown) {
    // The bake files are a convenience: the tags and labels above must still reach the job.
    platform.warning(`Cannot write the bake files: ${(err as Error).message}`);
  }
  for (const [name, value] of Object.entries(outputs)) platform.setOutput(name, value);
  try {
    if (inputs.exportEnv) exportEnv(platform, outputs);
  } catch (err: unknown) {
    platform.warning(`Cannot export DOCKER_METADATA_OUTPUT_* variables: ${(err as Error).message}`);
  }
}

/** Writes the bake definitions into a fresh folder under `tmp`; returns their paths by output name. */
function writeBakeFiles(meta: MetaComputed, target: string, tmp: string): Record<string, string> {
  mkdirSync(tmp, { recursive: true });
  const dir = mkdtempSync(join(tmp, 'shipkit-meta-'));
  const paths: Record<string, string> = {};
  for (const [name, def] of Object.entries(bakeFiles(meta, target))) {
    paths[name] = join(dir, `${name}.json`);
    writeFileSync(paths[name], JSON.stringify(def, null, 2));
  }
  return paths;
}

export const step = defineStep({
  name: 'meta',
  summary: "Image tags, labels and annotations from the Git context, with docker/metadata-action's rules",
  inputs: Inputs,
  interface: metaInterface,
  outputs: Outputs,
  getInputs,
  main,
  cli: { positional: ['images'], usage: '[images] --tags "type=semver,pattern={{version}}" …' },
});
