import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryPlatform } from '../platform/memory.js';
import { credentialsOnlyInFile, logout, privateDockerConfig, resolveLogin } from './login.js';

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

  it("adds the user's cli-plugins dir to cliPluginsExtraDirs, so docker still finds buildx", async () => {
    const home = mkdtempSync(join(tmpdir(), 'skbp-home-'));
    try {
      mkdirSync(join(home, 'cli-plugins'));
      writeFileSync(join(home, 'config.json'), JSON.stringify({ cliPluginsExtraDirs: ['/opt/plugins'] }));
      const dir = await privateDockerConfig({ DOCKER_CONFIG: home, RUNNER_TEMP: home }, 'ghcr.io');
      expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({
        cliPluginsExtraDirs: ['/opt/plugins', join(home, 'cli-plugins')],
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('credentialsOnlyInFile and logout: removing the private config is the logout only when it holds the password', () => {
  const rows = [
    {
      name: 'file store: auth in config.json',
      config: { auths: { 'r.io': { auth: 'dTpw' } } },
      want: true,
    },
    {
      name: 'docker.io is stored under its v1 URL',
      config: { auths: { 'https://index.docker.io/v1/': { auth: 'dTpw' } } },
      registry: 'docker.io',
      want: true,
    },
    {
      name: 'a credential store docker picked (it writes credsStore and an empty auths entry)',
      config: { auths: { 'r.io': {} }, credsStore: 'secretservice' },
      want: false,
    },
    {
      name: 'a helper for this registry',
      config: { auths: { 'r.io': { auth: 'dTpw' } }, credHelpers: { 'r.io': 'ecr-login' } },
      want: false,
    },
    { name: 'no entry for this registry', config: { auths: { 'other.io': { auth: 'x' } } }, want: false },
    { name: 'no config.json', config: undefined, want: false },
  ];
  it.each(rows)('$name → $want', async ({ config, registry, want }) => {
    const dir = mkdtempSync(join(tmpdir(), 'skbp-cfg-'));
    try {
      if (config) writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
      expect(await credentialsOnlyInFile(dir, registry ?? 'r.io')).toBe(want);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('logout of a file-store config removes the directory and says so, without running docker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skbp-cfg-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(rows[0].config));
    const platform = new MemoryPlatform();
    // An empty PATH: a `docker logout` would fail and warn.
    const path = process.env.PATH;
    process.env.PATH = '';
    try {
      await logout('r.io', dir, platform);
    } finally {
      process.env.PATH = path;
    }
    expect(existsSync(dir)).toBe(false);
    expect(platform.lines.map((l) => [l.level, l.message])).toEqual([['info', 'Logged out of r.io']]);
  });
});
