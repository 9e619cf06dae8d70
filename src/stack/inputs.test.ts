import { describe, expect, it } from 'vitest';
import { InputReader, inputsFrom } from '../core/inputs.js';
import { getInputs } from './inputs.js';

const read = (values: Record<string, string>, env: Record<string, string> = {}) =>
  getInputs(new InputReader(inputsFrom(values)), env);

describe('stack getInputs', () => {
  it("GitLab: up and after_script's down derive the same project from pipeline and job ids", () => {
    const env = { GITLAB_CI: 'true', CI_PIPELINE_ID: '900', CI_JOB_ID: '4711', CI_PROJECT_PATH: 'grp/app' };
    const up = read({ command: 'up' }, env);
    const down = read({ command: 'down' }, env);
    expect(up.project).toBe('shipkit-900-4711');
    expect(down.project).toBe(up.project);
    expect(up.owner).toBe('grp/app');
    expect(up.logsDir).toBe('.shipkit/stack-logs/shipkit-900-4711');
  });

  it('defaults: up, 5 minute timeout, 10 MB log cap, 2 h gc age, no build', () => {
    const i = read({}, {});
    expect(i).toMatchObject({
      command: 'up',
      timeoutMs: 300_000,
      logsMaxSize: 10_000_000,
      olderThanMs: 7_200_000,
      build: false,
      logLines: 50,
    });
    expect(i.project).toMatch(/^shipkit-local-[0-9a-f]{8}$/);
    expect(i.projectGiven).toBe(false);
  });

  it('refuses a zero timeout up front (it could only fail, after starting containers)', () => {
    for (const t of ['0', '0s', '0ms']) expect(() => read({ timeout: t })).toThrow(/must be more than 0/);
    expect(read({ timeout: '1s' }).timeoutMs).toBe(1000);
  });

  it('reads scale lines, images JSON, profiles and sizes', () => {
    const i = read({
      scale: 'app=3\nworker=0',
      images: '{"app":{"image":"r/a@sha256:1"}}',
      profiles: 'blue, debug',
      'logs-max-size': '512KiB',
      prefix: 'SkStack',
    });
    expect(i.scale).toEqual({ app: 3, worker: 0 });
    expect(i.images).toEqual({ app: 'r/a@sha256:1' });
    expect(i.profiles).toEqual(['blue', 'debug']);
    expect(i.logsMaxSize).toBe(524_288);
    expect(i.prefix).toBe('skstack');
  });

  const bad: { name: string; values: Record<string, string>; message: string }[] = [
    {
      name: 'a scale that is not a number',
      values: { scale: 'app=three' },
      message: 'input "scale": expected service=N with N from 0 to 100, got "app=three"',
    },
    {
      name: 'an invalid project name',
      values: { project: 'My.Project' },
      message:
        'input "project": not a valid compose project name (lower-case [a-z0-9][a-z0-9_-]*): "My.Project"',
    },
    {
      name: 'an unknown command',
      values: { command: 'restart' },
      message: 'input "command": unknown value "restart" (expected one of: up, ps, logs, down, gc)',
    },
    {
      name: 'a bad prefix',
      values: { prefix: '-x' },
      message: 'input "prefix": expected lower-case letters, digits, - or _ (max 30), got "-x"',
    },
  ];
  for (const row of bad) {
    it(`rejects ${row.name}, naming the input`, () => {
      expect(() => read(row.values)).toThrow(expect.objectContaining({ name: 'UserError' }));
      try {
        read(row.values);
      } catch (err) {
        expect(String(err)).toBe(row.message);
      }
    });
  }
});
