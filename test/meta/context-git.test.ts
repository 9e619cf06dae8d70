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

  it('outside a repository the workflow context stays', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'skmeta-nogit-'));
    try {
      expect(await withGitContext(base, empty)).toBe(base);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
