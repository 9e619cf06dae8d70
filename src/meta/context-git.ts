import { exec } from '../core/exec.js';
import { UserError } from '../core/errors.js';
import type { MetaContext } from './context.js';

interface GitRun {
  code: number;
  out: string;
}

async function run(args: string[], cwd: string): Promise<GitRun> {
  const r = await exec('git', args, { cwd, check: false, timeoutMs: 10_000 });
  return { code: r.code, out: r.stdout.trim() };
}

/** Like actions-toolkit's `Git.exec`: a failing command is an error only when it said why. */
async function git(args: string[], cwd: string): Promise<string> {
  const r = await exec('git', args, { cwd, check: false, timeoutMs: 10_000 });
  if (r.code !== 0 && r.stderr.trim()) throw new UserError(`git ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

/** The first ref under `scope` whose history holds HEAD, newest commit first. */
async function containingRef(scope: string, cwd: string): Promise<string | undefined> {
  const out = await git(
    ['for-each-ref', '--format=%(refname)', '--contains', 'HEAD', '--sort=-committerdate', scope],
    cwd,
  );
  return lines(out)[0];
}

/** A bare detached SHA: a local branch, else a remote one, else a tag that holds HEAD, else ''. */
async function inferRefFromHead(cwd: string): Promise<string> {
  const local = await containingRef('refs/heads/', cwd);
  if (local) return local;
  const remote = await containingRef('refs/remotes/', cwd);
  if (remote) {
    const m = /^refs\/remotes\/[^/]+\/(.+)$/.exec(remote);
    return m ? `refs/heads/${m[1]}` : remote;
  }
  const tag = lines(await git(['tag', '--contains', 'HEAD'], cwd))[0];
  return tag ? `refs/tags/${tag}` : '';
}

/** The tag whose decoration `tag: <name>` starts the `%D` line (longest name first). */
async function detachedTagRef(decoration: string, original: string, cwd: string): Promise<string> {
  const out = await git(['for-each-ref', '--format=%(refname)', '--points-at', 'HEAD', 'refs/tags/'], cwd);
  const refs = lines(out).sort((a, b) => b.length - a.length);
  for (const ref of refs) {
    const d = `tag: ${ref.slice('refs/tags/'.length)}`;
    if (decoration === d || decoration.startsWith(`${d}, `)) return ref;
  }
  if (refs.length === 1) return refs[0];
  throw new UserError(`Cannot find detached tag ref in "${original}"`);
}

/** actions-toolkit's `Git.getDetachedRef`: reads the ref from HEAD's decorations (`%D`). */
async function detachedRef(cwd: string): Promise<string> {
  const res = await git(['show', '-s', '--pretty=%D'], cwd);
  const normalized = res.replace(/^grafted, /, '').trim();
  if (normalized === 'HEAD') return inferRefFromHead(cwd);
  const m = /^HEAD, (.*)$/.exec(normalized);
  if (!m?.[1]) throw new UserError(`Cannot find detached HEAD ref in "${res}"`);
  const ref = m[1].trim();
  if (ref.startsWith('tag: ')) return detachedTagRef(ref, res, cwd);
  if (/^pull\/\d+\/(head|merge)$/.test(ref)) return `refs/${ref}`;
  const branch = /^[^/]+\/[^/]+, (.+)$/.exec(ref) ?? /^[^/]+\/(.+)$/.exec(ref);
  if (branch) return `refs/heads/${branch[1].trim()}`;
  throw new UserError(`Unsupported detached HEAD ref in "${res}"`);
}

/**
 * `context: git` — metadata-action's alternative to the workflow context: ref and sha come from the
 * local checkout as actions-toolkit's `Git.context` reads them (a branch from `symbolic-ref`; on a
 * detached HEAD the ref named by its decorations: a tag, `pull/N/merge`, a remote branch), the
 * commit date from Git. Outside a repository the workflow context stays (metadata-action fails).
 */
export async function withGitContext(ctx: MetaContext, cwd: string): Promise<MetaContext> {
  const head = await run(['rev-parse', 'HEAD'], cwd);
  if (head.code !== 0 || !head.out) return ctx;
  const detached = (await git(['branch', '--show-current'], cwd)) === '';
  const ref = detached ? await detachedRef(cwd) : await git(['symbolic-ref', 'HEAD'], cwd);
  const date = await git(['show', '-s', '--format=%cI', head.out], cwd);
  return { ...ctx, ref, sha: head.out, commitDate: date ? new Date(date) : ctx.commitDate };
}
