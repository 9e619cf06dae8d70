import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiRunner, RunnerApi } from '../../src/runner/api.js';
import { GitHubRunners } from '../../src/runner/github.js';
import { GitLabRunners } from '../../src/runner/gitlab.js';
import { UserError } from '../../src/core/errors.js';
import { execute } from '../../src/core/run.js';
import { inputsFrom } from '../../src/core/inputs.js';
import { MemoryPlatform } from '../../src/platform/memory.js';
import { step } from '../../src/runner/step.js';
import { startGitHubContract, type GitHubContract } from './github-contract.js';
import { startGitLabContract, type GitLabContract } from './gitlab-contract.js';

const GH_TOKEN = 'ghp_contractTestToken0123456789abcdef';
const GL_TOKEN = 'glpat-contractTestToken0123456789';
const redact = (t: string) => t.split(GH_TOKEN).join('***').split(GL_TOKEN).join('***');

/**
 * Runs the step's `up` with a `token` the API refuses: bad input (exit 2), the token nowhere in the
 * log, no stack trace. Gives back the platform for the provider's own message.
 */
async function upRefused(token: string, values: Record<string, string>): Promise<MemoryPlatform> {
  const platform = new MemoryPlatform(true);
  const code = await execute(
    step,
    inputsFrom({ command: 'up', 'runner-image': 'skrun-standin:test', ...values }),
    platform,
  );
  expect(code).toBe(2);
  expect(platform.text()).not.toContain(token);
  expect(platform.text()).not.toMatch(/\n\s+at /);
  return platform;
}

/**
 * Registers `others` runners beside the test's own `shipkit-` one, lists them all (two pages, read
 * from `listPath`), then deletes the test's runner twice: the second delete finds it already gone.
 */
async function listAndRemove<C extends { url: string }>(
  api: RunnerApi,
  others: number,
  seen: C[],
  listPath: string,
): Promise<{ mine: ApiRunner; deleteCall: C | undefined }> {
  for (let i = 0; i < others; i++) await api.register(`other-${i}`, ['x']);
  const all = await api.list();
  expect(all.length).toBe(others + 1);
  expect(seen.filter((s) => s.url.startsWith(listPath)).length).toBe(2);
  const mine = all.find((r) => r.name.startsWith('shipkit-'));
  if (!mine) throw new Error('the test runner is not in the list');
  expect(await api.remove(mine.id)).toBe(true);
  const deleteCall = seen.at(-1);
  expect(await api.remove(mine.id)).toBe(false);
  return { mine, deleteCall };
}

describe('contract test: GitHub self-hosted runner API (checked against @octokit/openapi)', () => {
  let gh: GitHubContract;
  beforeAll(async () => {
    gh = await startGitHubContract();
  });
  afterAll(async () => {
    expect(gh.violations).toEqual([]);
    expect(gh.responseViolations).toEqual([]);
    await gh.close();
  });

  const repo = () =>
    new GitHubRunners({
      token: GH_TOKEN,
      baseUrl: gh.url,
      scope: { kind: 'repo', owner: 'acme', repo: 'shop' },
      runnerGroupId: 1,
      redact,
    });

  it('contract test: generate-jitconfig at repo scope sends name, runner_group_id and labels and returns the encoded config', async () => {
    const reg = await repo().register('shipkit-1-1-abc-c1700000000', ['shipkit-1-1-abc', 'gpu']);
    expect(reg.id).toBeGreaterThan(0);
    expect(Buffer.from(reg.secret, 'base64').toString()).toContain('shipkit-1-1-abc-c1700000000');
    const last = gh.seen.at(-1);
    expect(last?.method).toBe('POST');
    expect(last?.url).toBe('/repos/acme/shop/actions/runners/generate-jitconfig');
    expect(JSON.parse(last?.body ?? '{}')).toEqual({
      name: 'shipkit-1-1-abc-c1700000000',
      runner_group_id: 1,
      labels: ['shipkit-1-1-abc', 'gpu'],
      work_folder: '_work',
    });
    expect(last?.headers.authorization).toBe(`token ${GH_TOKEN}`);
    expect(last?.url).not.toContain(GH_TOKEN);
    expect(gh.runners.get(reg.id)?.labels.map((l) => l.name)).toEqual(['shipkit-1-1-abc', 'gpu']);
  });

  it('contract test: lists every page of runners and deletes one (404 afterwards is "already gone")', async () => {
    const api = repo();
    const { mine, deleteCall } = await listAndRemove(api, 104, gh.seen, '/repos/acme/shop/actions/runners?');
    expect(mine.status).toBe('offline');
    expect(deleteCall?.method).toBe('DELETE');
    expect((await api.list()).length).toBe(104);
  });

  it('contract test: org scope uses the /orgs endpoints', async () => {
    const api = new GitHubRunners({
      token: GH_TOKEN,
      baseUrl: gh.url,
      scope: { kind: 'org', org: 'acme' },
      runnerGroupId: 1,
      redact,
    });
    const reg = await api.register('shipkit-org-c1700000000', ['shipkit-org']);
    expect(gh.seen.at(-1)?.url).toBe('/orgs/acme/actions/runners/generate-jitconfig');
    expect((await api.list()).map((r) => r.id)).toEqual([reg.id]);
    expect(await api.remove(reg.id)).toBe(true);
    expect(gh.seen.at(-1)?.url).toBe(`/orgs/acme/actions/runners/${reg.id}`);
  });

  it('contract test: an unknown runner group is the API 404 as a one-line UserError', async () => {
    const api = new GitHubRunners({
      token: GH_TOKEN,
      baseUrl: gh.url,
      scope: { kind: 'repo', owner: 'acme', repo: 'shop' },
      runnerGroupId: 99,
      redact,
    });
    const err = await api.register('shipkit-g-c1700000000', ['g']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/generate-jitconfig failed \(HTTP 404\): Not Found/);
  });

  it('contract test: a token without runner administration shows the API message, exit 2, and the token nowhere', async () => {
    const weak = 'github_pat_weakTokenWithoutAdministration0123';
    gh.forbiddenTokens.add(weak);
    const platform = await upRefused(weak, {
      provider: 'github',
      'github-token': weak,
      'github-api-url': gh.url,
      repository: 'acme/shop',
    });
    expect(platform.text()).toContain('Resource not accessible by personal access token');
    expect(platform.text()).toContain('input "github-token"');
    expect(platform.outputs.size).toBe(0);
  });
});

describe('contract test: GitLab runner API (documented fields of POST /user/runners, DELETE /runners/:id, runner lists)', () => {
  let gl: GitLabContract;
  beforeAll(async () => {
    gl = await startGitLabContract();
  });
  afterAll(async () => {
    expect(gl.violations).toEqual([]);
    await gl.close();
  });

  const project = () =>
    new GitLabRunners({ token: GL_TOKEN, url: gl.url, scope: { kind: 'project', id: '42' }, redact });

  it('contract test: POST /user/runners creates a locked, tagged-only project runner and returns its glrt- token', async () => {
    const reg = await project().register('shipkit-9-1-abc-c1700000000', ['shipkit-9-1-abc', 'docker']);
    expect(reg.secret).toMatch(/^glrt-/);
    const last = gl.seen.at(-1);
    expect(last?.url).toBe('/api/v4/user/runners');
    expect(last?.headers['private-token']).toBe(GL_TOKEN);
    const body = JSON.parse(last?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({
      runner_type: 'project_type',
      project_id: 42,
      description: 'shipkit-9-1-abc-c1700000000',
      tag_list: ['shipkit-9-1-abc', 'docker'],
      run_untagged: false,
      locked: true,
    });
    expect(gl.runners.get(reg.id)?.run_untagged).toBe(false);
  });

  it("contract test: lists all pages of a project's runners and deletes by id", async () => {
    const { mine, deleteCall } = await listAndRemove(project(), 120, gl.seen, '/api/v4/projects/42/runners');
    expect(mine.status).toBe('never_contacted');
    expect(deleteCall?.url).toBe(`/api/v4/runners/${mine.id}`);
  });

  it('contract test: group scope sends group_id and lists /groups/:id/runners', async () => {
    const api = new GitLabRunners({
      token: GL_TOKEN,
      url: gl.url,
      scope: { kind: 'group', id: '7' },
      redact,
    });
    const reg = await api.register('shipkit-grp-c1700000000', ['shipkit-grp']);
    expect(JSON.parse(gl.seen.at(-1)?.body ?? '{}')).toMatchObject({
      runner_type: 'group_type',
      group_id: 7,
    });
    expect((await api.list()).map((r) => r.id)).toEqual([reg.id]);
  });

  it("contract test: a token without create_runner shows GitLab's error, exit 2, token nowhere", async () => {
    const weak = 'glpat-weakTokenWithoutCreateRunner01';
    gl.forbiddenTokens.add(weak);
    const platform = await upRefused(weak, {
      provider: 'gitlab',
      'gitlab-token': weak,
      'gitlab-url': gl.url,
      'project-id': '42',
    });
    expect(platform.text()).toContain('(HTTP 403): insufficient_scope');
  });
});

describe('a runner API that never answers', () => {
  it('fails the call after the timeout with a one-line error, not a hang', async () => {
    const { createServer } = await import('node:http');
    const server = createServer(() => undefined); // accepts, never responds
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const gh = new GitHubRunners({
        token: GH_TOKEN,
        baseUrl: `http://127.0.0.1:${port}`,
        scope: { kind: 'repo', owner: 'acme', repo: 'shop' },
        runnerGroupId: 1,
        redact,
        timeoutMs: 300,
      });
      const gl = new GitLabRunners({
        token: GL_TOKEN,
        url: `http://127.0.0.1:${port}`,
        scope: { kind: 'project', id: '1' },
        redact,
        timeoutMs: 300,
      });
      for (const call of [() => gh.list(), () => gl.list()]) {
        const err = (await call().catch((e: unknown) => e)) as Error;
        expect(err.message).toMatch(/^Git(Hub|Lab) API: GET .* failed: .*(timeout|Timeout)/);
        expect(err.message).not.toContain('\n');
        expect(err.message).not.toMatch(/glpat-|ghp_/);
      }
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
