import { describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.js';
import type { RunContext } from '../platform/context.js';
import { parseImages } from './images.js';
import { composeCommand, planBuild, planDown, planUp, V1, V2 } from './plan.js';
import { PROJECT_NAME, projectName } from './project.js';

const ctx = (over: Partial<RunContext>): RunContext => ({
  ci: 'local',
  repository: 'r',
  sha: '',
  runId: '1',
  attempt: '1',
  workspace: '/w',
  ...over,
});

describe('projectName', () => {
  const rows = [
    {
      name: 'GitHub: run id, attempt and job',
      ctx: ctx({ ci: 'github', runId: '987654', attempt: '2', jobName: 'Smoke Test' }),
      expected: 'shipkit-987654-2-smoke-test',
    },
    {
      name: 'GitHub without a job',
      ctx: ctx({ ci: 'github', runId: '5', attempt: '1' }),
      expected: 'shipkit-5-1',
    },
    {
      name: 'GitLab: pipeline id and job id',
      ctx: ctx({ ci: 'gitlab', runId: '4242', attempt: '77' }),
      expected: 'shipkit-4242-77',
    },
    { name: 'local: random part', ctx: ctx({ ci: 'local' }), expected: 'shipkit-local-abcd1234' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const name = projectName(row.ctx, 'shipkit', () => 'abcd1234');
      expect(name).toBe(row.expected);
      expect(name).toMatch(PROJECT_NAME);
    });
  }

  it('makes job names with upper case, dots and unicode valid and keeps it under 64 chars', () => {
    const name = projectName(
      ctx({ ci: 'github', runId: '1', attempt: '1', jobName: 'Build.and_TEST (ünïcode) '.repeat(5) }),
      'my_prefix',
    );
    expect(name).toMatch(PROJECT_NAME);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name.startsWith('my_prefix-1-1-build-and_test-n-code')).toBe(true);
    expect(name).not.toMatch(/[-_]$/);
  });

  it('gives different names to two local runs', () => {
    expect(projectName(ctx({}), 'p')).not.toBe(projectName(ctx({}), 'p'));
  });
});

describe('parseImages', () => {
  it("reads build-push's images JSON", () => {
    const json = JSON.stringify({
      app: {
        image: 'reg/app@sha256:abc',
        tags: ['reg/app:1'],
        digest: 'sha256:abc',
        imageid: 'sha256:def',
        size: 123,
      },
      lb: { image: 'reg/lb@sha256:123' },
    });
    expect(parseImages(json)).toEqual({ app: 'reg/app@sha256:abc', lb: 'reg/lb@sha256:123' });
  });
  it('reads service=image lines, skipping comments', () => {
    expect(parseImages('app=reg/app:1\n# x\n lb = reg/lb:2 ')).toEqual({ app: 'reg/app:1', lb: 'reg/lb:2' });
  });
  const bad = [
    { name: 'broken JSON', text: '{"app": ', message: /not valid JSON/ },
    { name: 'JSON without image', text: '{"app": {"tags": []}}', message: /service "app"/ },
    { name: 'a line without =', text: 'app reg/app', message: /line 1: expected service=image/ },
  ];
  for (const row of bad) {
    it(`rejects ${row.name} naming the input`, () => {
      expect(() => parseImages(row.text)).toThrow(row.message);
      expect(() => parseImages(row.text)).toThrow(UserError);
      try {
        parseImages(row.text);
      } catch (err) {
        expect((err as UserError).location.field).toBe('input "images"');
      }
    });
  }
});

describe('compose argument plans (v1 and v2)', () => {
  // What both compose versions get, in this order, for `ps` on the project below.
  const GLOBAL_FLAGS_PS = [
    '--ansi',
    'never',
    '-p',
    'p1',
    '-f',
    '/a/compose.yml',
    '-f',
    '/tmp/o.yml',
    '--project-directory',
    '/a',
    '--env-file',
    '/a/.env.ci',
    '--profile',
    'blue',
    'ps',
  ];
  const project = {
    name: 'p1',
    files: ['/a/compose.yml', '/tmp/o.yml'],
    directory: '/a',
    profiles: ['blue'],
    envFiles: ['/a/.env.ci'],
  };
  const rows = [
    {
      name: 'v1 global flags',
      got: () => composeCommand(V1, project, ['ps']),
      expected: {
        file: 'docker-compose',
        args: GLOBAL_FLAGS_PS,
      },
    },
    {
      name: 'v2 global flags',
      got: () => composeCommand(V2, project, ['ps']),
      expected: {
        file: 'docker',
        args: ['compose', ...GLOBAL_FLAGS_PS],
      },
    },
    {
      name: 'v2 takes several env files',
      got: () => composeCommand(V2, { name: 'p', files: [], envFiles: ['a', 'b'] }, []).args,
      expected: ['compose', '--ansi', 'never', '-p', 'p', '--env-file', 'a', '--env-file', 'b'],
    },
    {
      name: 'v1 up: scale, no --wait',
      got: () => planUp(V1, { scale: { lb: 1, app: 3 }, noBuild: false }),
      expected: ['up', '-d', '--remove-orphans', '--scale', 'app=3', '--scale', 'lb=1'],
    },
    {
      name: 'v2 up: quiet pull, no build',
      got: () => planUp(V2, { scale: { app: 2 }, noBuild: true }),
      expected: ['up', '-d', '--remove-orphans', '--quiet-pull', '--no-build', '--scale', 'app=2'],
    },
    {
      name: 'v1 build removes the container of a failed step (classic builder)',
      got: () => planBuild(V1, ['app', 'lb']),
      expected: ['build', '--force-rm', 'app', 'lb'],
    },
    {
      name: 'v2 build (BuildKit leaves no containers)',
      got: () => planBuild(V2, ['app']),
      expected: ['build', 'app'],
    },
    {
      name: 'down',
      got: () => planDown({ removeImages: false }),
      expected: ['down', '-v', '--remove-orphans', '-t', '10'],
    },
    {
      name: 'down with local images',
      got: () => planDown({ removeImages: true, stopTimeoutS: 3 }),
      expected: ['down', '-v', '--remove-orphans', '--rmi', 'local', '-t', '3'],
    },
  ];
  for (const row of rows) it(row.name, () => expect(row.got()).toEqual(row.expected));

  it('never plans --wait on either version', () => {
    for (const v of [V1, V2]) expect(planUp(v, { scale: {}, noBuild: true })).not.toContain('--wait');
  });
  it('refuses several env files on v1, naming the input', () => {
    const run = () => composeCommand(V1, { name: 'p', files: [], envFiles: ['a', 'b'] }, []);
    expect(run).toThrow(/only one env file/);
    expect(() => run()).toThrow(expect.objectContaining({ location: { field: 'input "env-file"' } }));
  });
});
