import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateDockerConfig, resolveLogin } from './login.js';

const none = { registry: undefined, username: undefined, password: undefined, githubToken: undefined };

describe('resolveLogin', () => {
  const rows = [
    {
      name: 'explicit inputs, registry from the first tag',
      i: { ...none, username: 'u', password: 'p' },
      env: {},
      tag: '127.0.0.1:5000',
      want: { registry: '127.0.0.1:5000', username: 'u', password: 'p', source: 'inputs' },
    },
    {
      name: 'GitLab: CI_REGISTRY with CI_REGISTRY_USER and CI_JOB_TOKEN',
      i: none,
      env: {
        GITLAB_CI: 'true',
        CI_REGISTRY: 'registry.gitlab.com',
        CI_REGISTRY_USER: 'gitlab-ci-token',
        CI_JOB_TOKEN: 'job-tok',
      },
      tag: undefined,
      want: { registry: 'registry.gitlab.com', username: 'gitlab-ci-token', password: 'job-tok' },
    },
    {
      name: 'GitLab prefers CI_REGISTRY_PASSWORD when set',
      i: none,
      env: {
        GITLAB_CI: 'true',
        CI_REGISTRY: 'registry.gitlab.com',
        CI_REGISTRY_USER: 'u',
        CI_REGISTRY_PASSWORD: 'pw',
        CI_JOB_TOKEN: 'job',
      },
      tag: 'registry.gitlab.com',
      want: { registry: 'registry.gitlab.com', username: 'u', password: 'pw' },
    },
    {
      name: 'GitHub: ghcr.io with GITHUB_ACTOR and github-token',
      i: { ...none, githubToken: 'ghs_x' },
      env: { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat' },
      tag: 'ghcr.io',
      want: { registry: 'ghcr.io', username: 'octocat', password: 'ghs_x' },
    },
    {
      name: 'GitHub: password given without username for ghcr.io → actor',
      i: { ...none, password: 'pat' },
      env: { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat' },
      tag: undefined,
      want: { registry: 'ghcr.io', username: 'octocat', password: 'pat' },
    },
  ];
  for (const r of rows) it(r.name, () => expect(resolveLogin(r.i, r.env, r.tag)).toMatchObject(r.want));

  it('does not send the GitHub token to another registry', () => {
    expect(
      resolveLogin(
        { ...none, githubToken: 'ghs_x' },
        { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'o' },
        'docker.io',
      ),
    ).toBeUndefined();
  });
  it('does not log in without credentials (uses the existing docker config)', () => {
    expect(resolveLogin(none, {}, '127.0.0.1:5000')).toBeUndefined();
  });
  it('asks for a username when a password is given for another registry', () => {
    expect(() => resolveLogin({ ...none, password: 'p' }, {}, 'quay.io')).toThrow(
      'a password is given for quay.io but no username',
    );
  });
});

describe('privateDockerConfig', () => {
  it('copies the user config without the credential store or a helper for the login registry', async () => {
    const home = mkdtempSync(join(tmpdir(), 'skbp-home-'));
    try {
      writeFileSync(
        join(home, 'config.json'),
        JSON.stringify({
          auths: { 'quay.io': { auth: 'x' } },
          credsStore: 'desktop',
          credHelpers: { 'ghcr.io': 'gh', 'gcr.io': 'gcloud' },
        }),
      );
      const dir = await privateDockerConfig({ DOCKER_CONFIG: home, RUNNER_TEMP: home }, 'ghcr.io');
      expect(dir.startsWith(join(home, 'shipkit-docker-'))).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({
        auths: { 'quay.io': { auth: 'x' } },
        credHelpers: { 'gcr.io': 'gcloud' },
      });
      expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
