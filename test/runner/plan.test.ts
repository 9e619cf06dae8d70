import { describe, expect, it } from 'vitest';
import { InputReader, inputsFrom } from '../../src/core/inputs.js';
import { UserError } from '../../src/core/errors.js';
import { readRunnerInputs, type RunnerInputs } from '../../src/runner/inputs.js';
import { createdFromName, isExpired, runnerName } from '../../src/runner/names.js';
import { containerExpired, Labels, runArgs } from '../../src/runner/container.js';
import { containerSpec, target } from '../../src/runner/flows.js';

const read = (values: Record<string, string>, env: Record<string, string> = {}) =>
  readRunnerInputs(new InputReader(inputsFrom(values)), env);

describe('runner names carry their creation time (the APIs do not)', () => {
  it('builds <prefix>-<run>-<attempt>-<rand> as label and appends -c<unix seconds> for the name', () => {
    const n = runnerName('shipkit', '123456', '2', 1_700_000_000_500, undefined, 'a1b2c3');
    expect(n).toEqual({
      label: 'shipkit-123456-2-a1b2c3',
      name: 'shipkit-123456-2-a1b2c3-c1700000000',
      createdAt: 1_700_000_000,
    });
    expect(createdFromName('shipkit', n.name)).toBe(1_700_000_000_000);
  });
  it('keeps a user label but still prefixes the name so gc finds it', () => {
    expect(runnerName('shipkit', '1', '1', 1_700_000_000_000, 'gpu-box').name).toBe(
      'shipkit-gpu-box-c1700000000',
    );
  });
  const rows = [
    {
      name: 'older than the TTL',
      runner: 'shipkit-1-1-aa-c1700000000',
      now: 1_700_007_201_000,
      expected: true,
    },
    {
      name: 'younger than the TTL',
      runner: 'shipkit-1-1-aa-c1700000000',
      now: 1_700_000_100_000,
      expected: false,
    },
    { name: 'not our prefix', runner: 'build-box-c1700000000', now: 1_800_000_000_000, expected: false },
    { name: 'ours without a time', runner: 'shipkit-manual', now: 1_800_000_000_000, expected: false },
  ];
  for (const r of rows) {
    it(`isExpired: ${r.name}`, () =>
      expect(isExpired('shipkit', r.runner, 7_200_000, r.now)).toBe(r.expected));
  }
});

describe('runner inputs', () => {
  it('reads GitHub defaults from the environment', () => {
    const i = read(
      { command: 'up', 'github-token': 't0ken-x', 'runner-image': 'img' },
      {
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_API_URL: 'https://ghe.example/api/v3',
        GITHUB_RUN_ID: '77',
        GITHUB_RUN_ATTEMPT: '3',
      },
    );
    expect(i).toMatchObject({
      provider: 'github',
      apiUrl: 'https://ghe.example/api/v3',
      scope: { kind: 'repo', owner: 'acme', repo: 'shop' },
      runId: '77',
      attempt: '3',
      runnerGroupId: 1,
      ttlMs: 7_200_000,
    });
  });
  it('reads GitLab defaults from the environment and maps org to group', () => {
    const i = read(
      { 'gitlab-token': 'glpat-x', 'runner-image': 'img', scope: 'org' },
      {
        GITLAB_CI: 'true',
        CI_SERVER_URL: 'https://gitlab.example',
        CI_PROJECT_NAMESPACE_ID: '9',
        CI_PIPELINE_ID: '5',
        CI_JOB_ID: '6',
      },
    );
    expect(i).toMatchObject({
      provider: 'gitlab',
      apiUrl: 'https://gitlab.example',
      scope: { kind: 'group', id: '9' },
    });
  });
  const bad: { name: string; values: Record<string, string>; field: string }[] = [
    { name: 'unknown command', values: { command: 'start' }, field: 'input "command"' },
    {
      name: 'up without a token',
      values: { command: 'up', repository: 'a/b', 'runner-image': 'i' },
      field: 'input "github-token"',
    },
    {
      name: 'up without an image',
      values: { command: 'up', repository: 'a/b', 'github-token': 't' },
      field: 'input "runner-image"',
    },
    {
      name: 'bad repository',
      values: { command: 'up', repository: 'nope', 'github-token': 't', 'runner-image': 'i' },
      field: 'input "repository"',
    },
    {
      name: 'bad label',
      values: {
        command: 'up',
        repository: 'a/b',
        'github-token': 't',
        'runner-image': 'i',
        label: 'has space',
      },
      field: 'input "label"',
    },
    { name: 'bad ttl', values: { command: 'gc', ttl: 'soon' }, field: 'input "ttl"' },
    {
      name: 'GitLab group scope without a group',
      values: { command: 'down', provider: 'gitlab', 'gitlab-token': 't', scope: 'group' },
      field: 'input "group-id"',
    },
    {
      name: 'GitLab up without a project',
      values: { command: 'up', provider: 'gitlab', 'gitlab-token': 't', 'runner-image': 'i' },
      field: 'input "project-id"',
    },
    {
      name: 'gc with a token but no repository',
      values: { command: 'gc', 'github-token': 't' },
      field: 'input "repository"',
    },
    { name: 'GitHub instance scope', values: { command: 'gc', scope: 'instance' }, field: 'input "scope"' },
    {
      name: 'bad API URL',
      values: { command: 'gc', 'github-api-url': 'ftp://x' },
      field: 'input "github-api-url"',
    },
  ];
  for (const b of bad) {
    it(`rejects ${b.name} with a UserError naming the input`, () => {
      const err = (() => {
        try {
          read(b.values);
        } catch (e: unknown) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).location.field).toBe(b.field);
    });
  }
  it('gc needs no token (container sweep only)', () => {
    expect(read({ command: 'gc' }).token).toBeUndefined();
  });
});

describe('runner container plan', () => {
  const base = read(
    {
      command: 'up',
      repository: 'acme/shop',
      'github-token': 'tok-123',
      'runner-image': 'runner:1',
      ttl: '30m',
      volumes: '/var/run/docker.sock:/var/run/docker.sock',
    },
    { SHIPKIT_RUN_ID: '55' },
  );
  const reg = {
    id: 41,
    name: 'shipkit-55-1-aa-c1700000000',
    label: 'shipkit-55-1-aa',
    secret: 'SECRET-JIT-CONFIG',
    createdAt: 1_700_000_000,
  };

  it('GitHub: passes the JIT config by variable name only, with TTL/owner labels', () => {
    const spec = containerSpec(base, reg);
    const args = runArgs(spec);
    expect(args.join(' ')).not.toContain('SECRET-JIT-CONFIG');
    expect(args).toContain('ACTIONS_RUNNER_INPUT_JITCONFIG');
    expect(spec.secretEnv).toEqual({ ACTIONS_RUNNER_INPUT_JITCONFIG: 'SECRET-JIT-CONFIG' });
    expect(spec.labels).toMatchObject({
      [Labels.kind]: 'runner',
      [Labels.ttl]: '1800',
      [Labels.created]: '1700000000',
      [Labels.id]: '41',
      [Labels.label]: 'shipkit-55-1-aa',
    });
    expect(spec.labels[Labels.owner]).toMatch(/#55\.1$/);
    expect(args.slice(-2)).toEqual(['runner:1', './run.sh']);
    expect(args).toContain('/var/run/docker.sock:/var/run/docker.sock');
  });

  it('GitLab: run-single for one job, token in CI_SERVER_TOKEN', () => {
    const gl: RunnerInputs = {
      ...base,
      provider: 'gitlab',
      apiUrl: 'https://gitlab.example',
      scope: { kind: 'project', id: '4' },
    };
    const spec = containerSpec(gl, { ...reg, secret: 'glrt-secret' });
    expect(spec.command).toEqual(['run-single', '--max-builds', '1', '--wait-timeout', '1800']);
    expect(spec.secretEnv).toEqual({ CI_SERVER_TOKEN: 'glrt-secret' });
    expect(spec.env).toMatchObject({
      CI_SERVER_URL: 'https://gitlab.example',
      RUNNER_NAME: reg.name,
      RUNNER_EXECUTOR: 'docker',
    });
    expect(runArgs(spec).join(' ')).not.toContain('glrt-secret');
  });

  it('a container expires when created + ttl has passed', () => {
    const labels = { [Labels.created]: '1700000000', [Labels.ttl]: '60' };
    expect(containerExpired(labels, 1_700_000_059_000)).toBe(false);
    expect(containerExpired(labels, 1_700_000_060_000)).toBe(true);
    expect(containerExpired({}, 1_800_000_000_000)).toBe(false);
  });

  it('down targets the inputs first, else what up saved', () => {
    expect(target({ ...base, label: 'x' }, '{"id":3}')).toEqual({
      label: 'x',
      id: undefined,
      container: undefined,
    });
    expect(target(base, '{"id":3,"label":"y"}')).toEqual({ id: 3, label: 'y' });
    expect(target(base, '')).toEqual({});
  });
});
