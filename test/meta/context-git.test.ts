import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { withGitContext } from '../../src/meta/context-git.js';
import { commonContext, computeMetaSync } from '../../src/meta/index.js';
import type { MetaContext } from '../../src/meta/context.js';

const dir = mkdtempSync(join(tmpdir(), 'skmeta-git-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    env: {
      ...process.env,
      GIT_COMMITTER_DATE: '2021-05-06T07:08:09Z',
      GIT_AUTHOR_DATE: '2021-05-06T07:08:09Z',
    },
  })
    .toString()
    .trim();

describe('context: git (ref and sha from the checkout)', () => {
  const common = commonContext({ SOURCE_DATE_EPOCH: '0' });
  const base: MetaContext = {
    ci: 'github',
    eventName: 'push',
    ref: 'refs/heads/other',
    sha: 'f'.repeat(40),
    repo: { name: '', description: '', htmlUrl: '', license: '', defaultBranch: 'main' },
    commitDate: common.now,
    now: common.now,
    shortShaLength: 7,
    annotationLevels: ['manifest'],
  };

  it('a branch checkout gives refs/heads/<branch>, the HEAD sha and its committer date', async () => {
    git('init', '-q', '-b', 'feature/x');
    writeFileSync(join(dir, 'f'), 'x');
    git('add', 'f');
    git('commit', '-qm', 'one');
    const ctx = await withGitContext(base, dir);
    expect(ctx.ref).toBe('refs/heads/feature/x');
    expect(ctx.sha).toBe(git('rev-parse', 'HEAD'));
    expect(ctx.commitDate.toISOString()).toBe('2021-05-06T07:08:09.000Z');
  });

  it('a detached tag checkout gives refs/tags/<tag>, so semver rules fire', async () => {
    git('tag', 'v2.3.4');
    git('checkout', '-q', '--detach', 'v2.3.4');
    const ctx = await withGitContext(base, dir);
    expect(ctx.ref).toBe('refs/tags/v2.3.4');
    const meta = computeMetaSync(
      {
        images: [],
        tags: ['type=semver,pattern={{major}}.{{minor}}'],
        flavor: [],
        labels: [],
        annotations: [],
      },
      ctx,
    );
    expect(meta.tags).toEqual(['2.3', 'latest']);
  });

  it('a detached HEAD decorated by a remote branch gives that branch (actions/checkout on a SHA)', async () => {
    git('checkout', '-q', 'feature/x');
    writeFileSync(join(dir, 'g'), 'y');
    git('add', 'g');
    git('commit', '-qm', 'two');
    git('update-ref', 'refs/remotes/origin/release/1.x', 'HEAD');
    git('checkout', '-q', '--detach', 'HEAD');
    git('branch', '-q', '-f', 'feature/x', 'HEAD~1');
    expect(git('show', '-s', '--pretty=%D')).toBe('HEAD, origin/release/1.x');
    expect((await withGitContext(base, dir)).ref).toBe('refs/heads/release/1.x');
  });

  it('a detached pull request merge ref gives refs/pull/N/merge', async () => {
    git('update-ref', '-d', 'refs/remotes/origin/release/1.x');
    git('update-ref', 'refs/remotes/pull/7/merge', 'HEAD');
    expect(git('show', '-s', '--pretty=%D')).toBe('HEAD, pull/7/merge');
    expect((await withGitContext(base, dir)).ref).toBe('refs/pull/7/merge');
  });

  it('a bare detached SHA gives a local branch that holds it, else no ref', async () => {
    git('update-ref', '-d', 'refs/remotes/pull/7/merge');
    expect(git('show', '-s', '--pretty=%D')).toBe('HEAD');
    git('branch', '-q', 'holder', 'HEAD');
    git('checkout', '-q', '--detach', 'HEAD');
    // `holder` decorates HEAD now: a local branch alone is not a ref metadata-action can read.
    await expect(withGitContext(base, dir)).rejects.toThrow(
      /Unsupported detached HEAD ref in "HEAD, holder"/,
    );
    git('branch', '-q', '-D', 'holder');
    expect((await withGitContext(base, dir)).ref).toBe('');
    git('checkout', '-q', '-b', 'ahead');
    writeFileSync(join(dir, 'h'), 'z');
    git('add', 'h');
    git('commit', '-qm', 'three');
    git('checkout', '-q', '--detach', 'HEAD~1');
    expect((await withGitContext(base, dir)).ref).toBe('refs/heads/ahead');
  });

  it('outside a repository the workflow context stays', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'skmeta-nogit-'));
    try {
      expect(await withGitContext(base, empty)).toBe(base);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
