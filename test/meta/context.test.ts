import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commonContext, computeMetaSync, gitlabContext, metaContextFromEnv } from '../../src/meta/index.js';
import type { MetaContext } from '../../src/meta/context.js';
import { API_REPO, EPOCH, HEAD_SHA, SHA } from './cases.js';
import { startGitHubContractServer, type ContractServer } from './github-contract-server.js';

let dir: string;
let api: ContractServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skmeta-ctx-'));
  api = await startGitHubContractServer({
    'repos/get': () => API_REPO,
    'repos/get-commit': (p) => ({ sha: p.ref, commit: { committer: { date: '2019-12-24T10:00:00Z' } } }),
  });
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

function payloadFile(payload: unknown): string {
  const path = join(dir, `event-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(payload));
  return path;
}

const gh = (extra: Record<string, string>) => ({
  GITHUB_ACTIONS: 'true',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_REF: 'refs/heads/master',
  GITHUB_SHA: SHA,
  GITHUB_REPOSITORY: 'octocat/Hello-World',
  GITHUB_API_URL: api.url,
  SOURCE_DATE_EPOCH: EPOCH,
  ...extra,
});

describe('GitHub context (contract test against a GitHub API server checked with @octokit/openapi)', () => {
  it('reads the repository from GITHUB_API_URL with the token, as repos/get', async () => {
    const before = api.requests.length;
    const ctx = await metaContextFromEnv(gh({ GITHUB_EVENT_PATH: payloadFile({}) }), {
      token: 'ghs_abc',
      needCommitDate: false,
    });
    expect(ctx.repo).toEqual({
      name: 'Hello-World',
      description: 'This your first repo!',
      htmlUrl: 'https://github.com/octocat/Hello-World',
      license: 'MIT',
      defaultBranch: 'master',
    });
    const reqs = api.requests.slice(before);
    expect(reqs.map((r) => r.operationId)).toEqual(['repos/get']);
    expect(reqs[0].headers.authorization).toBe('token ghs_abc');
    expect(api.violations).toEqual([]);
  });

  it('takes the commit date from the push payload, else from repos/get-commit', async () => {
    const fromPayload = await metaContextFromEnv(
      gh({ GITHUB_EVENT_PATH: payloadFile({ commits: [{ id: SHA, timestamp: '2020-01-01T01:02:03Z' }] }) }),
    );
    expect(fromPayload.commitDate.toISOString()).toBe('2020-01-01T01:02:03.000Z');
    const fromHead = await metaContextFromEnv(
      gh({ GITHUB_EVENT_PATH: payloadFile({ head_commit: { id: SHA, timestamp: '2020-02-02T00:00:00Z' } }) }),
    );
    expect(fromHead.commitDate.toISOString()).toBe('2020-02-02T00:00:00.000Z');
    const before = api.requests.length;
    const fromApi = await metaContextFromEnv(gh({ GITHUB_EVENT_PATH: payloadFile({}) }));
    expect(fromApi.commitDate.toISOString()).toBe('2019-12-24T10:00:00.000Z');
    expect(api.requests.slice(before).map((r) => r.path)).toEqual([
      '/repos/octocat/Hello-World',
      `/repos/octocat/Hello-World/commits/${SHA}`,
    ]);
    expect(api.violations).toEqual([]);
  });

  it('pull_request_target uses the PR number; DOCKER_METADATA_PR_HEAD_SHA the head sha', async () => {
    const payload = payloadFile({
      number: 42,
      pull_request: { head: { sha: HEAD_SHA }, base: { ref: 'main' } },
    });
    const ctx = await metaContextFromEnv(
      gh({
        GITHUB_EVENT_NAME: 'pull_request_target',
        GITHUB_EVENT_PATH: payload,
        DOCKER_METADATA_PR_HEAD_SHA: 'True',
      }),
      { needCommitDate: false },
    );
    expect(ctx).toMatchObject({ ref: 'refs/pull/42/merge', sha: HEAD_SHA, prBaseRef: 'main' });
    const push = await metaContextFromEnv(
      gh({ GITHUB_EVENT_PATH: payload, DOCKER_METADATA_PR_HEAD_SHA: 'true' }),
      { needCommitDate: false },
    );
    expect(push.sha).toBe(SHA); // only pull_request events switch to the head
  });

  it('an unreachable API warns once and falls back to the payload and GITHUB_REPOSITORY', async () => {
    const warnings: string[] = [];
    const ctx = await metaContextFromEnv(
      gh({
        GITHUB_API_URL: 'http://127.0.0.1:9',
        GITHUB_EVENT_PATH: payloadFile({
          repository: { default_branch: 'trunk', description: 'payload desc' },
        }),
      }),
      { warn: (m) => warnings.push(m) },
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Cannot read repository octocat\/Hello-World from http:\/\/127\.0\.0\.1:9/);
    expect(ctx.repo).toEqual({
      name: 'Hello-World',
      description: 'payload desc',
      htmlUrl: 'https://github.com/octocat/Hello-World',
      license: '',
      defaultBranch: 'trunk',
    });
  });

  it('a repository the API does not know (404) only warns, with the status', async () => {
    const empty = await startGitHubContractServer({});
    try {
      const warnings: string[] = [];
      const ctx = await metaContextFromEnv(gh({ GITHUB_API_URL: empty.url }), {
        warn: (m) => warnings.push(m),
      });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/\(HTTP 404/);
      expect(ctx.repo.htmlUrl).toBe('https://github.com/octocat/Hello-World');
      expect(empty.violations).toEqual([]);
    } finally {
      await empty.close();
    }
  });

  it('an API that hangs is cut off by the timeout and only warns', async () => {
    const { createServer } = await import('node:http');
    const hang = createServer(() => undefined);
    await new Promise<void>((ok) => hang.listen(0, '127.0.0.1', ok));
    const port = (hang.address() as { port: number }).port;
    const warnings: string[] = [];
    const started = Date.now();
    const ctx = await metaContextFromEnv(gh({ GITHUB_API_URL: `http://127.0.0.1:${port}` }), {
      warn: (m) => warnings.push(m),
      apiTimeoutMs: 300,
    });
    hang.closeAllConnections();
    hang.close();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(warnings[0]).toMatch(/Cannot read repository/);
    expect(ctx.repo.name).toBe('Hello-World');
  });

  it('a payload that is not JSON is a UserError naming the file', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{nope');
    await expect(metaContextFromEnv(gh({ GITHUB_EVENT_PATH: path }))).rejects.toThrow(
      /cannot read the event payload/,
    );
  });
});

describe('common knobs', () => {
  it('SOURCE_DATE_EPOCH fixes now; bad values are UserErrors', () => {
    expect(commonContext({ SOURCE_DATE_EPOCH: '1578616200' }).now.toISOString()).toBe(
      '2020-01-10T00:30:00.000Z',
    );
    expect(() => commonContext({ SOURCE_DATE_EPOCH: 'yesterday' })).toThrow(/SOURCE_DATE_EPOCH/);
    // Not a number fails only where a short sha is used (see the conformance cases).
    expect(commonContext({ DOCKER_METADATA_SHORT_SHA_LENGTH: 'x' }).shortShaLength).toBeNaN();
    expect(commonContext({ DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest, index' }).annotationLevels).toEqual(
      ['manifest', 'index'],
    );
  });
});

/** One tags definition, the same run on both systems: the tags must be identical. */
describe('GitLab mapping gives the same tags as GitHub for the same tags: definition', () => {
  const TAGS = [
    'type=schedule',
    'type=semver,pattern={{version}}',
    'type=semver,pattern={{major}}.{{minor}}',
    'type=edge',
    'type=ref,event=branch',
    'type=ref,event=pr',
    'type=sha',
    'type=raw,value=latest,enable={{is_default_branch}}',
    'type=raw,value=base-{{base_ref}},enable={{is_not_default_branch}}',
  ];
  const common = commonContext({ SOURCE_DATE_EPOCH: EPOCH });
  const repo = { name: 'app', description: '', htmlUrl: '', license: '', defaultBranch: 'main' };
  const github = (eventName: string, ref: string, extra: Partial<MetaContext> = {}): MetaContext => ({
    ci: 'github',
    eventName,
    ref,
    sha: SHA,
    payloadDefaultBranch: 'main',
    repo,
    commitDate: common.now,
    now: common.now,
    shortShaLength: 7,
    annotationLevels: ['manifest'],
    ...extra,
  });
  const gl = { CI_COMMIT_SHA: SHA, CI_DEFAULT_BRANCH: 'main', CI_PROJECT_NAME: 'app' };
  const rows: { name: string; github: MetaContext; gitlab: Record<string, string>; tags: string[] }[] = [
    {
      name: 'push to the default branch',
      github: github('push', 'refs/heads/main'),
      gitlab: { ...gl, CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main' },
      tags: ['edge', 'main', 'latest', 'sha-860c190'],
    },
    {
      name: 'push to a feature branch',
      github: github('push', 'refs/heads/feat/x'),
      gitlab: { ...gl, CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'feat/x' },
      tags: ['feat-x', 'base-', 'sha-860c190'],
    },
    {
      name: 'web-started pipeline',
      github: github('workflow_dispatch', 'refs/heads/main'),
      gitlab: { ...gl, CI_PIPELINE_SOURCE: 'web', CI_COMMIT_BRANCH: 'main' },
      tags: ['edge', 'main', 'latest', 'sha-860c190'],
    },
    {
      name: 'release tag',
      github: github('push', 'refs/tags/v1.2.3'),
      gitlab: { ...gl, CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'v1.2.3' },
      tags: ['1.2.3', '1.2', 'base-', 'sha-860c190', 'latest'],
    },
    {
      name: 'merge request',
      github: github('pull_request', 'refs/pull/7/merge', { prBaseRef: 'main' }),
      gitlab: {
        ...gl,
        CI_PIPELINE_SOURCE: 'merge_request_event',
        CI_MERGE_REQUEST_IID: '7',
        CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
        CI_COMMIT_BRANCH: '',
      },
      tags: ['pr-7', 'base-main', 'sha-860c190'],
    },
    {
      name: 'schedule',
      github: github('schedule', 'refs/heads/main'),
      gitlab: { ...gl, CI_PIPELINE_SOURCE: 'schedule', CI_COMMIT_BRANCH: 'main' },
      tags: ['nightly', 'edge', 'main', 'latest', 'sha-860c190'],
    },
  ];
  const req = { images: [], tags: TAGS, flavor: [], labels: [], annotations: [] };
  for (const r of rows) {
    it(r.name, () => {
      const onGithub = computeMetaSync(req, r.github).tags;
      const onGitlab = computeMetaSync(req, gitlabContext(r.gitlab, common)).tags;
      expect(onGithub).toEqual(r.tags);
      expect(onGitlab).toEqual(r.tags);
    });
  }

  it('maps CI_PROJECT_*, CI_COMMIT_TIMESTAMP and the MR head sha', () => {
    const ctx = gitlabContext(
      {
        ...gl,
        CI_PIPELINE_SOURCE: 'merge_request_event',
        CI_MERGE_REQUEST_IID: '9',
        CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: HEAD_SHA,
        CI_PROJECT_TITLE: 'My App',
        CI_PROJECT_DESCRIPTION: 'desc',
        CI_PROJECT_URL: 'https://gitlab.example/g/app',
        CI_COMMIT_TIMESTAMP: '2021-03-04T05:06:07+01:00',
      },
      { ...common, prHeadSha: true },
    );
    expect(ctx).toMatchObject({
      eventName: 'pull_request',
      ref: 'refs/pull/9/merge',
      sha: HEAD_SHA,
      repo: {
        name: 'My App',
        description: 'desc',
        htmlUrl: 'https://gitlab.example/g/app',
        defaultBranch: 'main',
      },
    });
    expect(ctx.commitDate.toISOString()).toBe('2021-03-04T04:06:07.000Z');
    const labels = computeMetaSync({ ...req, tags: ['type=sha'] }, ctx).labels;
    expect(labels['org.opencontainers.image.revision']).toBe(HEAD_SHA);
    expect(labels['org.opencontainers.image.title']).toBe('My App');
  });
});
