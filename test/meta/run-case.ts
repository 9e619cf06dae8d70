import { listInput } from '../../src/meta/csv.js';
import { commonContext, computeMetaSync, githubEventContext } from '../../src/meta/index.js';
import type { MetaComputed } from '../../src/meta/compute.js';
import type { MetaRepo } from '../../src/meta/context.js';
import { API_REPO, EPOCH, SHA, type MetaCase } from './cases.js';

/** The GitHub environment a case describes (no INPUT_* yet). */
export function caseEnv(c: MetaCase): Record<string, string> {
  return {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: c.event?.name ?? 'push',
    GITHUB_REF: c.event?.ref ?? 'refs/heads/master',
    GITHUB_SHA: c.event?.sha ?? SHA,
    GITHUB_REPOSITORY: 'octocat/Hello-World',
    SOURCE_DATE_EPOCH: EPOCH,
    ...c.env,
  };
}

export const apiRepo: MetaRepo = {
  name: API_REPO.name,
  description: API_REPO.description,
  htmlUrl: API_REPO.html_url,
  license: API_REPO.license.spdx_id,
  defaultBranch: API_REPO.default_branch,
};

/** Runs a case through the library as the step would, with the API's repository answer. */
export function runCaseInProcess(c: MetaCase, warn: (m: string) => void = () => undefined): MetaComputed {
  const env = caseEnv(c);
  const ctx = githubEventContext(env, c.event?.payload ?? {}, commonContext(env), apiRepo);
  return computeMetaSync(
    {
      images: listInput(c.inputs.images ?? ''),
      tags: listInput(c.inputs.tags ?? ''),
      flavor: listInput(c.inputs.flavor ?? ''),
      labels: listInput(c.inputs.labels ?? ''),
      annotations: [],
    },
    ctx,
    { warn },
  );
}
