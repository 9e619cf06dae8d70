import { exec } from '../core/exec.js';
import type { MetaContext } from './context.js';

async function git(args: string[], cwd: string): Promise<string> {
  const r = await exec('git', args, { cwd, check: false, timeoutMs: 10_000 });
  return r.code === 0 ? r.stdout.trim() : '';
}

/**
 * `context: git` — metadata-action's alternative to the workflow context: ref and sha come from the
 * local checkout (branch via `symbolic-ref`, else a tag pointing at HEAD), the commit date from Git.
 */
export async function withGitContext(ctx: MetaContext, cwd: string): Promise<MetaContext> {
  const sha = await git(['rev-parse', 'HEAD'], cwd);
  if (!sha) return ctx;
  let ref = await git(['symbolic-ref', '-q', 'HEAD'], cwd);
  if (!ref) {
    const tag = (await git(['tag', '--points-at', 'HEAD', '--sort=-creatordate'], cwd)).split('\n')[0];
    ref = tag ? `refs/tags/${tag}` : '';
  }
  const date = await git(['show', '-s', '--format=%cI', sha], cwd);
  return { ...ctx, ref, sha, commitDate: date ? new Date(date) : ctx.commitDate };
}
