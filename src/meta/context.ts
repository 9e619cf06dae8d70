/**
 * What `computeMeta` knows about the run. Built from GitHub's or GitLab's variables by
 * `metaContextFromEnv` (context-github.ts / context-gitlab.ts), or by hand in tests: every field
 * is plain data, so the computation stays pure.
 */
export interface MetaRepo {
  /** Repository name (`org.opencontainers.image.title`). */
  name: string;
  description: string;
  /** Web URL (`org.opencontainers.image.url` and `.source`). */
  htmlUrl: string;
  /** SPDX licence id (`org.opencontainers.image.licenses`). */
  license: string;
  /** Default branch as the repository API reports it: the branch `type=edge` fires on. */
  defaultBranch: string;
}

export interface MetaContext {
  ci: 'github' | 'gitlab' | 'local';
  /** GitHub event name (`push`, `pull_request`, `schedule`, …); GitLab sources are mapped onto these. */
  eventName: string;
  /** Full Git ref: `refs/heads/main`, `refs/tags/v1.2.3`, `refs/pull/2/merge`. */
  ref: string;
  /** The commit the image is built from (the PR head when DOCKER_METADATA_PR_HEAD_SHA is set). */
  sha: string;
  /** Default branch from the event payload: drives `{{is_default_branch}}`. */
  payloadDefaultBranch?: string;
  /** `base_ref` of a push-tag payload (`refs/heads/main`). */
  baseRef?: string;
  /** Base branch of a pull / merge request. */
  prBaseRef?: string;
  repo: MetaRepo;
  /** When the commit was made (`{{commit_date}}`). */
  commitDate: Date;
  /** "Now" for `{{date}}` and `org.opencontainers.image.created` (SOURCE_DATE_EPOCH when set). */
  now: Date;
  /**
   * Length of `{{sha}}` and `type=sha` short form (DOCKER_METADATA_SHORT_SHA_LENGTH, default 7);
   * NaN when that variable is not a number, which is an error once a short sha is asked for.
   */
  shortShaLength: number;
  /** Annotation levels (DOCKER_METADATA_ANNOTATIONS_LEVELS, default `manifest`). */
  annotationLevels: string[];
}

export const emptyRepo = (): MetaRepo => ({
  name: '',
  description: '',
  htmlUrl: '',
  license: '',
  defaultBranch: '',
});

/** The knobs both CI systems share: DOCKER_METADATA_*, SOURCE_DATE_EPOCH. */
export interface CommonContext {
  now: Date;
  shortShaLength: number;
  annotationLevels: string[];
  prHeadSha: boolean;
}
