/**
 * Conformance rows for the meta step, written from docker/metadata-action's documented behaviour
 * (../shared/reference/docker-build-actions.md and the action's README examples), not from our
 * output. The unit test runs them through the library; the integration test runs them through
 * the bundled action exactly as GitHub does (INPUT_* variables, GITHUB_OUTPUT, event payload file,
 * a repository API server).
 */
export const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37';
export const HEAD_SHA = 'a9c8c5828b91be19d9728548b24759e352367ef1';
/** 2020-01-10T00:30:00Z, the instant of metadata-action's documented examples. */
export const EPOCH = '1578616200';
export const CREATED = '2020-01-10T00:30:00.000Z';

/** What the repository API answers (octocat/Hello-World, as in metadata-action's fixtures). */
export const API_REPO = {
  id: 1296269,
  name: 'Hello-World',
  full_name: 'octocat/Hello-World',
  description: 'This your first repo!',
  html_url: 'https://github.com/octocat/Hello-World',
  default_branch: 'master',
  license: { key: 'mit', name: 'MIT License', spdx_id: 'MIT' },
};

export interface MetaCase {
  name: string;
  event?: { name?: string; ref?: string; sha?: string; payload?: Record<string, unknown> };
  env?: Record<string, string>;
  inputs: { images?: string; tags?: string; flavor?: string; labels?: string };
  expected:
    | { version: string; tags: string[]; labels?: Record<string, string>; warning?: RegExp }
    | { error: RegExp };
}

const PUSH_PAYLOAD = { repository: { name: 'Hello-World', default_branch: 'master' } };
const push = (ref: string) => ({ name: 'push', ref, payload: PUSH_PAYLOAD });
const tag = (name: string) => push(`refs/tags/${name}`);
const branch = (name: string) => push(`refs/heads/${name}`);
const pr = (n: number) => ({
  name: 'pull_request',
  ref: `refs/pull/${n}/merge`,
  payload: {
    number: n,
    repository: { default_branch: 'master' },
    pull_request: { number: n, head: { sha: HEAD_SHA, ref: 'feature' }, base: { ref: 'master' } },
  },
});
const schedule = { name: 'schedule', ref: 'refs/heads/master', payload: { schedule: '0 0 * * *' } };
const IMG = 'user/app';
const img = (...tags: string[]) => tags.map((t) => `${IMG}:${t}`);
const SEMVER3 =
  'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=semver,pattern={{major}}';
const PEP3 =
  'type=pep440,pattern={{version}}\ntype=pep440,pattern={{major}}.{{minor}}\ntype=pep440,pattern={{major}}';

function ok(
  version: string,
  tags: string[],
  extra: { labels?: Record<string, string>; warning?: RegExp } = {},
) {
  return { version, tags, ...extra };
}

export const CASES: MetaCase[] = [
  // --- the default rule set: schedule, ref branch / tag / pr ---
  {
    name: 'default rules: branch push',
    event: branch('master'),
    inputs: { images: IMG },
    expected: ok('master', img('master')),
  },
  {
    name: 'default rules: other branch',
    event: branch('dev'),
    inputs: { images: IMG },
    expected: ok('dev', img('dev')),
  },
  {
    name: 'default rules: tag push adds latest',
    event: tag('v1.1.1'),
    inputs: { images: IMG },
    expected: ok('v1.1.1', img('v1.1.1', 'latest')),
  },
  {
    name: 'default rules: pull request',
    event: pr(15),
    inputs: { images: IMG },
    expected: ok('pr-15', img('pr-15')),
  },
  {
    name: 'default rules: schedule gives nightly then the branch',
    event: schedule,
    inputs: { images: IMG },
    expected: ok('nightly', img('nightly', 'master')),
  },
  {
    name: 'default rules: branch with slash is sanitised',
    event: branch('my/branch'),
    inputs: { images: IMG },
    expected: ok('my-branch', img('my-branch')),
  },
  {
    name: 'default rules: branch with # is sanitised',
    event: branch('my/feature#1245'),
    inputs: { images: IMG },
    expected: ok('my-feature-1245', img('my-feature-1245')),
  },
  {
    name: 'default rules: no images gives bare tags',
    event: branch('dev'),
    inputs: {},
    expected: ok('dev', ['dev']),
  },
  {
    name: 'default rules: prerelease tag via ref is still latest',
    event: tag('v2.0.8-beta.67'),
    inputs: { images: IMG },
    expected: ok('v2.0.8-beta.67', img('v2.0.8-beta.67', 'latest')),
  },

  // --- semver ---
  {
    name: 'semver: version, major.minor, major on v1.2.3',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: SEMVER3 },
    expected: ok('1.2.3', img('1.2.3', '1.2', '1', 'latest')),
  },
  {
    name: 'semver: prerelease collapses to the full version, no latest',
    event: tag('v2.0.8-beta.67'),
    inputs: { images: IMG, tags: SEMVER3 },
    expected: ok('2.0.8-beta.67', img('2.0.8-beta.67')),
  },
  {
    name: 'semver: {{raw}} keeps the v',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{raw}}' },
    expected: ok('v1.2.3', img('v1.2.3', 'latest')),
  },
  {
    name: 'semver: {{raw}} on a prerelease keeps it raw',
    event: tag('v2.0.8-beta.67'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{raw}}' },
    expected: ok('v2.0.8-beta.67', img('v2.0.8-beta.67')),
  },
  {
    name: 'semver: v{{major}}',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=semver,pattern=v{{major}}' },
    expected: ok('v1', img('v1', 'latest')),
  },
  {
    name: 'semver: {{major}}.{{minor}}.{{patch}} without v',
    event: tag('1.2.3'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{major}}.{{minor}}.{{patch}}' },
    expected: ok('1.2.3', img('1.2.3', 'latest')),
  },
  {
    name: 'semver: {{minor}} and {{patch}} alone',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{minor}}\ntype=semver,pattern={{patch}}' },
    expected: ok('2', img('2', '3', 'latest')),
  },
  {
    name: 'semver: rc prerelease with major pattern',
    event: tag('v1.0.0-rc.1'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{major}}' },
    expected: ok('1.0.0-rc.1', img('1.0.0-rc.1')),
  },
  {
    name: 'semver: build metadata is not part of {{version}}',
    event: tag('v1.2.3+build.5'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{version}}' },
    expected: ok('1.2.3', img('1.2.3', 'latest')),
  },
  {
    name: 'semver: not a tag push gives nothing',
    event: branch('master'),
    inputs: { images: IMG, tags: SEMVER3 },
    expected: ok('', []),
  },
  {
    name: 'semver: invalid version warns and gives nothing',
    event: tag('release1'),
    inputs: { images: IMG, tags: SEMVER3 },
    expected: ok('', [], { warning: /release1 is not a valid semver/ }),
  },
  {
    name: 'semver: two-part tag is not semver',
    event: tag('v1.2'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{version}}' },
    expected: ok('', []),
  },
  {
    name: 'semver: value attribute works on a branch',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{version}},value=v1.2.3' },
    expected: ok('1.2.3', img('1.2.3', 'latest')),
  },
  {
    name: 'semver: match extracts the version from a prefixed tag',
    event: tag('p1/v1.2.3'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{version}},match=v(\\d.\\d.\\d)$' },
    expected: ok('1.2.3', img('1.2.3', 'latest')),
  },
  {
    name: 'semver: semver falls back to branch rule',
    event: branch('dev'),
    inputs: { images: IMG, tags: `${SEMVER3}\ntype=ref,event=branch` },
    expected: ok('dev', img('dev')),
  },
  {
    name: 'semver: with ref tag rule dedupes and keeps order',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: `type=ref,event=tag\n${SEMVER3}` },
    expected: ok('1.2.3', img('1.2.3', '1.2', '1', 'v1.2.3', 'latest')),
  },
  {
    name: 'semver: major zero disabled via enable',
    event: tag('v0.1.2'),
    inputs: {
      images: IMG,
      tags: 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}},enable=false',
    },
    expected: ok('0.1.2', img('0.1.2', 'latest')),
  },

  // --- pep440 ---
  {
    name: 'pep440: final release patterns',
    event: tag('1.2.3'),
    inputs: { images: IMG, tags: PEP3 },
    expected: ok('1.2.3', img('1.2.3', '1.2', '1', 'latest')),
  },
  {
    name: 'pep440: leading v',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=pep440,pattern={{version}}' },
    expected: ok('1.2.3', img('1.2.3', 'latest')),
  },
  {
    name: 'pep440: {{raw}}',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=pep440,pattern={{raw}}' },
    expected: ok('v1.2.3', img('v1.2.3', 'latest')),
  },
  {
    name: 'pep440: alpha pre-release',
    event: tag('1.2.3a1'),
    inputs: { images: IMG, tags: PEP3 },
    expected: ok('1.2.3a1', img('1.2.3a1')),
  },
  {
    name: 'pep440: beta normalised',
    event: tag('1.2.3-beta2'),
    inputs: { images: IMG, tags: PEP3 },
    expected: ok('1.2.3b2', img('1.2.3b2')),
  },
  {
    name: 'pep440: rc raw',
    event: tag('1.2.3rc2'),
    inputs: { images: IMG, tags: 'type=pep440,pattern={{raw}}' },
    expected: ok('1.2.3rc2', img('1.2.3rc2')),
  },
  {
    name: 'pep440: post release',
    event: tag('1.2.3post1'),
    inputs: { images: IMG, tags: PEP3 },
    expected: ok('1.2.3.post1', img('1.2.3.post1')),
  },
  {
    name: 'pep440: dev release',
    event: tag('1.0dev4'),
    inputs: { images: IMG, tags: PEP3 },
    expected: ok('1.0.dev4', img('1.0.dev4')),
  },
  {
    name: 'pep440: two-part release pads patch',
    event: tag('1.2'),
    inputs: { images: IMG, tags: 'type=pep440,pattern={{major}}.{{minor}}.{{patch}}' },
    expected: ok('1.2.0', img('1.2.0', 'latest')),
  },
  {
    name: 'pep440: epoch kept in version',
    event: tag('1!2.0'),
    inputs: { images: IMG, tags: 'type=pep440,pattern={{version}}' },
    expected: ok('1-2.0', img('1-2.0', 'latest')),
  },
  {
    name: 'pep440: invalid warns',
    event: tag('foo-bar'),
    inputs: { images: IMG, tags: PEP3 },
    expected: ok('', [], { warning: /does not conform to PEP 440/ }),
  },

  // --- match ---
  {
    name: 'match: \\d+ on 20200110-RC2',
    event: tag('20200110-RC2'),
    inputs: { images: IMG, tags: 'type=match,pattern=\\d+' },
    expected: ok('20200110', img('20200110', 'latest')),
  },
  {
    name: 'match: group 1',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=match,pattern=v(.*),group=1' },
    expected: ok('1.2.3', img('1.2.3', 'latest')),
  },
  {
    name: 'match: quoted /re/flags form',
    event: tag('V1.2.3'),
    inputs: { images: IMG, tags: 'type=match,"pattern=/^v(\\d.\\d.\\d)$/i",group=1' },
    expected: ok('1.2.3', img('1.2.3', 'latest')),
  },
  {
    name: 'match: runs on the raw git tag, slash included (procMatch)',
    event: tag('p1/v1.0.0'),
    inputs: { images: IMG, tags: 'type=match,pattern=p1/v(\\d.\\d.\\d),group=1' },
    expected: ok('1.0.0', img('1.0.0', 'latest')),
  },
  {
    name: 'match: the raw tag keeps its slash, so a dash pattern finds nothing',
    event: tag('app/v1.2.3'),
    inputs: { images: IMG, tags: 'type=match,pattern=app-v(.*),group=1' },
    expected: ok('', [], { warning: /app-v\(\.\*\) does not match app\/v1\.2\.3/ }),
  },
  {
    name: 'match: /re/flags on a raw tag with a slash',
    event: tag('P1/v2.3.4'),
    inputs: { images: IMG, tags: 'type=match,"pattern=/^p1\\/v(\\d+\\.\\d+)/i",group=1' },
    expected: ok('2.3', img('2.3', 'latest')),
  },
  {
    name: 'match beside semver on a slash tag: semver sees the dash form, match the raw tag',
    event: tag('p1/v1.0.0'),
    inputs: {
      images: IMG,
      tags: 'type=semver,pattern={{version}},match=v(\\d.\\d.\\d)$\ntype=match,pattern=^(p1)/,group=1',
    },
    expected: ok('1.0.0', img('1.0.0', 'p1', 'latest')),
  },
  {
    name: 'match: no match gives nothing',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=match,pattern=^release-(.*)$,group=1' },
    expected: ok('', []),
  },
  {
    name: 'match: missing group warns',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=match,pattern=v\\d,group=3' },
    expected: ok('', [], { warning: /Group 3 does not exist/ }),
  },
  {
    name: 'match: value attribute on a branch',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=match,pattern=\\d.\\d,value=release-1.2-final' },
    expected: ok('1.2', img('1.2', 'latest')),
  },
  {
    name: 'match: not a tag gives nothing',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=match,pattern=\\d+' },
    expected: ok('', []),
  },

  // --- edge ---
  {
    name: 'edge: default branch from the API',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=edge' },
    expected: ok('edge', img('edge')),
  },
  {
    name: 'edge: other branch gives nothing',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=edge' },
    expected: ok('', []),
  },
  {
    name: 'edge: explicit branch',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=edge,branch=dev' },
    expected: ok('edge', img('edge')),
  },
  {
    name: 'edge: tag push gives nothing',
    event: tag('v1.0.0'),
    inputs: { images: IMG, tags: 'type=edge' },
    expected: ok('', []),
  },
  {
    name: 'edge: before branch rule by priority',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=ref,event=branch\ntype=edge' },
    expected: ok('edge', img('edge', 'master')),
  },

  // --- ref ---
  {
    name: 'ref: pr with custom prefix',
    event: pr(15),
    inputs: { images: IMG, tags: 'type=ref,event=pr,prefix=pull-' },
    expected: ok('pull-15', img('pull-15')),
  },
  {
    name: 'ref: pr with suffix keeps default prefix',
    event: pr(2),
    inputs: { images: IMG, tags: 'type=ref,event=pr,suffix=-test' },
    expected: ok('pr-2-test', img('pr-2-test')),
  },
  {
    name: 'ref: tag with suffix',
    event: tag('v1.0.0'),
    inputs: { images: IMG, tags: 'type=ref,event=tag,suffix=-alpine' },
    expected: ok('v1.0.0-alpine', img('v1.0.0-alpine', 'latest')),
  },
  {
    name: 'ref: branch with prefix',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=ref,event=branch,prefix=br-' },
    expected: ok('br-dev', img('br-dev')),
  },
  {
    name: 'ref: missing event is an error',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=ref' },
    expected: { error: /event/ },
  },
  {
    name: 'ref: unknown event is an error',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=ref,event=commit' },
    expected: { error: /event/ },
  },
  {
    name: 'pull_request_target uses the PR merge ref',
    event: {
      name: 'pull_request_target',
      ref: 'refs/heads/master',
      payload: { number: 8, repository: { default_branch: 'master' } },
    },
    inputs: { images: IMG, tags: 'type=ref,event=pr\ntype=ref,event=branch' },
    expected: ok('pr-8', img('pr-8')),
  },

  // --- raw ---
  {
    name: 'raw: value',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=raw,value=foo' },
    expected: ok('foo', img('foo')),
  },
  {
    name: 'raw: bare value',
    event: branch('master'),
    inputs: { images: IMG, tags: 'foo\nbar' },
    expected: ok('foo', img('foo', 'bar')),
  },
  {
    name: 'raw: expressions branch and sha',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=raw,value={{branch}}-{{sha}}' },
    expected: ok('master-860c190', img('master-860c190')),
  },
  {
    name: 'raw: {{tag}} on a branch is empty and skipped',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=raw,value={{tag}}\ntype=raw,value=fallback' },
    expected: ok('fallback', img('fallback')),
  },
  {
    name: 'raw: {{tag}} on a tag',
    event: tag('v1.0.0'),
    inputs: { images: IMG, tags: 'type=raw,value=release-{{tag}}' },
    expected: ok('release-v1.0.0', img('release-v1.0.0')),
  },
  {
    name: 'raw: latest when default branch',
    event: branch('master'),
    inputs: {
      images: IMG,
      tags: 'type=raw,value=latest,enable={{is_default_branch}}\ntype=ref,event=branch',
    },
    expected: ok('master', img('master', 'latest')),
  },
  {
    name: 'raw: latest disabled off the default branch',
    event: branch('dev'),
    inputs: {
      images: IMG,
      tags: 'type=raw,value=latest,enable={{is_default_branch}}\ntype=ref,event=branch',
    },
    expected: ok('dev', img('dev')),
  },
  {
    name: 'raw: is_not_default_branch',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=raw,value=preview,enable={{is_not_default_branch}}' },
    expected: ok('preview', img('preview')),
  },
  {
    name: 'raw: date in Asia/Tokyo',
    event: branch('master'),
    inputs: { images: IMG, tags: "type=raw,value={{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}" },
    expected: ok('20200110-093000', img('20200110-093000')),
  },
  {
    name: 'raw: date default UTC',
    event: branch('master'),
    inputs: { images: IMG, tags: "type=raw,value={{date 'YYYYMMDD'}}" },
    expected: ok('20200110', img('20200110')),
  },
  {
    name: 'raw: base_ref of a tag push',
    event: {
      name: 'push',
      ref: 'refs/tags/v1.0.0',
      payload: { base_ref: 'refs/heads/master', repository: { default_branch: 'master' } },
    },
    inputs: { images: IMG, tags: 'type=raw,value={{base_ref}}' },
    expected: ok('master', img('master')),
  },
  {
    name: 'raw: base_ref of a pull request',
    event: pr(3),
    inputs: { images: IMG, tags: 'type=raw,value=base-{{base_ref}}' },
    expected: ok('base-master', img('base-master')),
  },
  {
    name: 'raw: base_ref empty on a branch push',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=raw,value=x{{base_ref}}' },
    expected: ok('x', img('x')),
  },
  {
    name: 'raw: schedule event counts as default branch',
    event: { ...schedule, ref: 'refs/heads/dev' },
    inputs: { images: IMG, tags: 'type=raw,value=is-{{is_default_branch}}' },
    expected: ok('is-true', img('is-true')),
  },
  {
    name: 'raw: tag push is not the default branch',
    event: tag('v1.0.0'),
    inputs: { images: IMG, tags: 'type=raw,value=is-{{is_default_branch}}' },
    expected: ok('is-false', img('is-false')),
  },

  // --- sha ---
  {
    name: 'sha: short with default prefix',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=sha' },
    expected: ok('sha-860c190', img('sha-860c190')),
  },
  {
    name: 'sha: long',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=sha,format=long' },
    expected: ok(`sha-${SHA}`, img(`sha-${SHA}`)),
  },
  {
    name: 'sha: empty prefix',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=sha,prefix=' },
    expected: ok('860c190', img('860c190')),
  },
  {
    name: 'sha: DOCKER_METADATA_SHORT_SHA_LENGTH',
    event: branch('master'),
    env: { DOCKER_METADATA_SHORT_SHA_LENGTH: '12' },
    inputs: { images: IMG, tags: 'type=sha\ntype=raw,value=x-{{sha}}' },
    expected: ok('x-860c1904a1ce', img('x-860c1904a1ce', 'sha-860c1904a1ce')),
  },
  {
    name: 'sha: DOCKER_METADATA_PR_HEAD_SHA uses the PR head',
    event: pr(4),
    env: { DOCKER_METADATA_PR_HEAD_SHA: 'true' },
    inputs: { images: IMG, tags: 'type=sha' },
    expected: ok('sha-a9c8c58', img('sha-a9c8c58'), {
      labels: { 'org.opencontainers.image.revision': HEAD_SHA },
    }),
  },
  {
    name: 'sha: on a PR without the knob uses the merge sha',
    event: pr(4),
    inputs: { images: IMG, tags: 'type=sha' },
    expected: ok('sha-860c190', img('sha-860c190'), { labels: { 'org.opencontainers.image.revision': SHA } }),
  },
  {
    name: 'sha: invalid format is an error',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=sha,format=tiny' },
    expected: { error: /format/ },
  },
  {
    name: 'sha: lowest priority after branch',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=sha\ntype=ref,event=branch' },
    expected: ok('dev', img('dev', 'sha-860c190')),
  },

  // --- schedule ---
  {
    name: 'schedule: custom date pattern',
    event: schedule,
    inputs: { images: IMG, tags: "type=schedule,pattern={{date 'YYYYMMDD'}}" },
    expected: ok('20200110', img('20200110')),
  },
  {
    name: 'schedule: only on schedule events',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=schedule\ntype=raw,value=x' },
    expected: ok('x', img('x')),
  },
  {
    name: 'schedule: branch expression is not available in the pattern',
    event: schedule,
    inputs: { images: IMG, tags: 'type=schedule,pattern=nightly-{{branch}}' },
    expected: ok('nightly-', img('nightly-')),
  },
  {
    name: 'schedule: with latest=true flavor',
    event: schedule,
    inputs: { images: IMG, tags: 'type=schedule', flavor: 'latest=true' },
    expected: ok('nightly', img('nightly', 'latest')),
  },

  // --- flavor ---
  {
    name: 'flavor: latest=true on a branch',
    event: branch('master'),
    inputs: { images: IMG, flavor: 'latest=true' },
    expected: ok('master', img('master', 'latest')),
  },
  {
    name: 'flavor: latest=false on a tag',
    event: tag('v1.1.1'),
    inputs: { images: IMG, flavor: 'latest=false' },
    expected: ok('v1.1.1', img('v1.1.1')),
  },
  {
    name: 'flavor: prefix not on latest',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{version}}', flavor: 'prefix=foo-' },
    expected: ok('foo-1.2.3', img('foo-1.2.3', 'latest')),
  },
  {
    name: 'flavor: prefix onlatest',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{version}}', flavor: 'prefix=foo-,onlatest=true' },
    expected: ok('foo-1.2.3', img('foo-1.2.3', 'foo-latest')),
  },
  {
    name: 'flavor: an expression in an onlatest prefix is evaluated on tags, not on latest',
    event: tag('v1.2.3'),
    inputs: {
      images: IMG,
      tags: 'type=semver,pattern={{version}}',
      flavor: "prefix={{date 'YYYY'}}-,onlatest=true",
    },
    expected: ok('2020-1.2.3', img('2020-1.2.3', '-date-YYYY--latest')),
  },
  {
    name: 'flavor: suffix onlatest',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{version}}', flavor: 'suffix=-alpine,onlatest=true' },
    expected: ok('1.2.3-alpine', img('1.2.3-alpine', 'latest-alpine')),
  },
  {
    name: 'flavor: suffix without onlatest leaves latest plain',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{version}}', flavor: 'suffix=-alpine' },
    expected: ok('1.2.3-alpine', img('1.2.3-alpine', 'latest')),
  },
  {
    name: 'flavor: onlatest binds to the entry before it',
    event: tag('v1.2.3'),
    inputs: {
      images: IMG,
      tags: 'type=semver,pattern={{version}}',
      flavor: 'prefix=a-,onlatest=true,suffix=-b',
    },
    expected: ok('a-1.2.3-b', img('a-1.2.3-b', 'a-latest')),
  },
  {
    name: 'flavor: prefix and suffix on separate lines',
    event: tag('v1.2.3'),
    inputs: {
      images: IMG,
      tags: 'type=semver,pattern={{version}}',
      flavor: 'latest=auto\nprefix=p-,onlatest=true\nsuffix=-s,onlatest=true',
    },
    expected: ok('p-1.2.3-s', img('p-1.2.3-s', 'p-latest-s')),
  },
  {
    name: 'flavor: prefix never on sha, suffix is',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=sha', flavor: 'prefix=foo-\nsuffix=-bar' },
    expected: ok('sha-860c190-bar', img('sha-860c190-bar')),
  },
  {
    name: 'flavor: prefix never on pr',
    event: pr(7),
    inputs: { images: IMG, flavor: 'prefix=foo-' },
    expected: ok('pr-7', img('pr-7')),
  },
  {
    name: 'flavor: rule prefix wins over flavor',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=ref,event=branch,prefix=rule-', flavor: 'prefix=flavor-' },
    expected: ok('rule-dev', img('rule-dev')),
  },
  {
    name: 'flavor: empty rule prefix wins over flavor',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=ref,event=branch,prefix=', flavor: 'prefix=flavor-' },
    expected: ok('dev', img('dev')),
  },
  {
    name: 'flavor: prefix with expression',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=raw,value=x', flavor: 'prefix={{branch}}-' },
    expected: ok('dev-x', img('dev-x')),
  },
  {
    name: 'flavor: invalid latest is an error',
    event: branch('dev'),
    inputs: { images: IMG, flavor: 'latest=maybe' },
    expected: { error: /latest/ },
  },
  {
    name: 'flavor: unknown entry is an error',
    event: branch('dev'),
    inputs: { images: IMG, flavor: 'colour=blue' },
    expected: { error: /colour/ },
  },

  // --- enable, priority, ordering ---
  {
    name: 'enable=false skips the rule',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=ref,event=branch,enable=false\ntype=raw,value=x' },
    expected: ok('x', img('x')),
  },
  {
    name: 'enable with a non-boolean is an error',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=raw,value=x,enable=yes' },
    expected: { error: /enable/ },
  },
  {
    name: 'priority: raw before semver decides latest',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{version}}\ntype=raw,value=foo,priority=1000' },
    expected: ok('foo', img('foo', '1.2.3')),
  },
  {
    name: 'priority: semver first keeps latest',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=raw,value=foo\ntype=semver,pattern={{version}}' },
    expected: ok('1.2.3', img('1.2.3', 'foo', 'latest')),
  },
  {
    name: 'priority: equal priorities keep their order',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=raw,value=b\ntype=raw,value=a\ntype=raw,value=c' },
    expected: ok('b', img('b', 'a', 'c')),
  },
  {
    name: 'duplicates are removed',
    event: branch('dev'),
    inputs: {
      images: IMG,
      tags: 'type=raw,value=dev\ntype=ref,event=branch\ntype=raw,value=x\ntype=raw,value=x',
    },
    expected: ok('dev', img('dev', 'x')),
  },
  {
    name: 'unknown type is an error',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=foo' },
    expected: { error: /unknown tag type/ },
  },
  {
    name: 'semver without pattern is an error',
    event: tag('v1.0.0'),
    inputs: { images: IMG, tags: 'type=semver' },
    expected: { error: /pattern/ },
  },
  {
    name: 'comment lines are ignored',
    event: branch('dev'),
    inputs: { images: IMG, tags: '# the branch\ntype=ref,event=branch\n#type=raw,value=x' },
    expected: ok('dev', img('dev')),
  },
  {
    name: 'keys are case-insensitive, values trimmed',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'TYPE=raw, Value = foo ' },
    expected: ok('foo', img('foo')),
  },
  {
    name: 'raw value sanitised',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=raw,value=my tag/v1' },
    expected: ok('my-tag-v1', img('my-tag-v1')),
  },

  // --- images ---
  {
    name: 'images: two images',
    event: tag('v1.2.3'),
    inputs: { images: 'user/app\nghcr.io/user/app', tags: 'type=semver,pattern={{version}}' },
    expected: ok('1.2.3', [
      'user/app:1.2.3',
      'user/app:latest',
      'ghcr.io/user/app:1.2.3',
      'ghcr.io/user/app:latest',
    ]),
  },
  {
    name: 'images: comma-separated line',
    event: branch('dev'),
    inputs: { images: 'user/app,ghcr.io/user/app' },
    expected: ok('dev', ['user/app:dev', 'ghcr.io/user/app:dev']),
  },
  {
    name: 'images: lower-cased',
    event: branch('dev'),
    inputs: { images: 'ghcr.io/User/App' },
    expected: ok('dev', ['ghcr.io/user/app:dev']),
  },
  {
    name: 'images: enable=false drops one',
    event: branch('dev'),
    inputs: { images: 'name=user/app\nname=ghcr.io/user/app,enable=false' },
    expected: ok('dev', ['user/app:dev']),
  },
  {
    name: 'images: enable with expression is not evaluated and must be a boolean',
    event: branch('dev'),
    inputs: { images: 'name=user/app,enable=maybe' },
    expected: { error: /enable/ },
  },

  // --- labels ---
  {
    name: 'labels: the eight OCI labels from the API',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{version}}' },
    expected: ok('1.2.3', img('1.2.3', 'latest'), {
      labels: {
        'org.opencontainers.image.created': CREATED,
        'org.opencontainers.image.description': 'This your first repo!',
        'org.opencontainers.image.licenses': 'MIT',
        'org.opencontainers.image.revision': SHA,
        'org.opencontainers.image.source': 'https://github.com/octocat/Hello-World',
        'org.opencontainers.image.title': 'Hello-World',
        'org.opencontainers.image.url': 'https://github.com/octocat/Hello-World',
        'org.opencontainers.image.version': '1.2.3',
      },
    }),
  },
  {
    name: 'labels: overrides and extras, entries without = dropped',
    event: branch('dev'),
    inputs: {
      images: IMG,
      labels:
        'maintainer=CrazyMax\norg.opencontainers.image.title=MyCustomTitle\norg.opencontainers.image.vendor=MyCompany\nnoequals',
    },
    expected: ok('dev', img('dev'), {
      labels: {
        maintainer: 'CrazyMax',
        'org.opencontainers.image.created': CREATED,
        'org.opencontainers.image.description': 'This your first repo!',
        'org.opencontainers.image.licenses': 'MIT',
        'org.opencontainers.image.revision': SHA,
        'org.opencontainers.image.source': 'https://github.com/octocat/Hello-World',
        'org.opencontainers.image.title': 'MyCustomTitle',
        'org.opencontainers.image.url': 'https://github.com/octocat/Hello-World',
        'org.opencontainers.image.vendor': 'MyCompany',
        'org.opencontainers.image.version': 'dev',
      },
    }),
  },
  {
    name: 'labels: expressions and values with =',
    event: branch('dev'),
    inputs: { images: IMG, labels: 'com.example.branch={{branch}}\ncom.example.opts=a=b' },
    expected: ok('dev', img('dev'), { labels: { 'com.example.branch': 'dev', 'com.example.opts': 'a=b' } }),
  },
  {
    name: 'labels: version empty when nothing generated',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=edge' },
    expected: ok('', [], { labels: { 'org.opencontainers.image.version': '' } }),
  },
  {
    name: 'labels: created follows SOURCE_DATE_EPOCH',
    event: branch('dev'),
    env: { SOURCE_DATE_EPOCH: '0' },
    inputs: { images: IMG },
    expected: ok('dev', img('dev'), {
      labels: { 'org.opencontainers.image.created': '1970-01-01T00:00:00.000Z' },
    }),
  },
  // --- more documented patterns ---
  {
    name: 'raw: latest only on the default branch (README pattern)',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=raw,value=latest,enable={{is_default_branch}}' },
    expected: ok('latest', img('latest')),
  },
  {
    name: 'raw: latest partial and latest flag give one latest',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{version}}\ntype=raw,value=latest' },
    expected: ok('1.2.3', img('1.2.3', 'latest')),
  },
  {
    name: 'sha: prefix with expression',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=sha,prefix={{branch}}-' },
    expected: ok('master-860c190', img('master-860c190')),
  },
  {
    name: 'ref: branch with date suffix',
    event: branch('dev'),
    inputs: { images: IMG, tags: "type=ref,event=branch,suffix=-{{date 'YYYYMMDD'}}" },
    expected: ok('dev-20200110', img('dev-20200110')),
  },
  {
    name: 'workflow_dispatch on the default branch',
    event: {
      name: 'workflow_dispatch',
      ref: 'refs/heads/master',
      payload: { repository: { default_branch: 'master' } },
    },
    inputs: {
      images: IMG,
      tags: 'type=ref,event=branch\ntype=raw,value=latest,enable={{is_default_branch}}',
    },
    expected: ok('master', img('master', 'latest')),
  },
  {
    name: 'release event on a tag',
    event: {
      name: 'release',
      ref: 'refs/tags/v1.1.1',
      payload: { release: { tag_name: 'v1.1.1' }, repository: { default_branch: 'master' } },
    },
    inputs: { images: IMG, tags: SEMVER3 },
    expected: ok('1.1.1', img('1.1.1', '1.1', '1', 'latest')),
  },
  {
    name: 'create event counts as default branch',
    event: { name: 'create', ref: 'refs/heads/feature', payload: {} },
    inputs: { images: IMG, tags: 'type=raw,value=d-{{is_default_branch}}' },
    expected: ok('d-true', img('d-true')),
  },
  {
    name: 'commit_date from the push payload',
    event: {
      name: 'push',
      ref: 'refs/heads/dev',
      payload: { commits: [{ id: SHA, timestamp: '2019-12-31T23:59:00+09:00' }] },
    },
    inputs: { images: IMG, tags: "type=raw,value={{commit_date 'YYYYMMDD-HHmm'}}" },
    expected: ok('20191231-1459', img('20191231-1459')),
  },
  {
    name: 'date with unknown attribute is an error',
    event: branch('dev'),
    inputs: { images: IMG, tags: "type=raw,value={{date 'YYYY' zone='UTC'}}" },
    expected: { error: /unknown zone attribute/ },
  },
  {
    name: 'pep440 with match',
    event: tag('app-1.2.3'),
    inputs: { images: IMG, tags: 'type=pep440,pattern={{major}}.{{minor}},match=app-(.*)' },
    expected: ok('1.2', img('1.2', 'latest')),
  },
  {
    name: 'semver: match that does not match warns',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{version}},match=^release-(.*)$' },
    expected: ok('', [], { warning: /does not match/ }),
  },
  {
    name: 'flavor: latest=true with sha only',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=sha', flavor: 'latest=true' },
    expected: ok('sha-860c190', img('sha-860c190', 'latest')),
  },
  {
    name: 'flavor: latest=false keeps a raw latest value',
    event: branch('master'),
    inputs: { images: IMG, tags: 'type=ref,event=branch\ntype=raw,value=latest', flavor: 'latest=false' },
    expected: ok('master', img('master', 'latest')),
  },
  {
    name: 'images: all disabled gives bare tags',
    event: branch('dev'),
    inputs: { images: 'name=user/app,enable=false' },
    expected: ok('dev', ['dev']),
  },
  {
    name: 'uppercase raw values keep their case',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=raw,value=Release-A' },
    expected: ok('Release-A', img('Release-A')),
  },

  // --- audit against metadata-action v5's code paths (meta.ts, tag.ts, image.ts) and the
  // libraries it runs on (csv-parse, handlebars, moment-timezone, semver, @renovatebot/pep440) ---
  {
    name: 'images: a trailing comma adds an empty image, which gives bare tag names',
    event: branch('dev'),
    inputs: { images: 'user/app,' },
    expected: ok('dev', ['user/app:dev', 'dev']),
  },
  {
    name: 'priority: an empty priority is 0, below sha',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=raw,value=x,priority=\ntype=sha' },
    expected: ok('sha-860c190', img('sha-860c190', 'x')),
  },
  {
    name: 'sha: a non-number DOCKER_METADATA_SHORT_SHA_LENGTH is fine while no short sha is used',
    event: branch('dev'),
    env: { DOCKER_METADATA_SHORT_SHA_LENGTH: 'seven' },
    inputs: { images: IMG },
    expected: ok('dev', img('dev')),
  },
  {
    name: 'sha: a non-number DOCKER_METADATA_SHORT_SHA_LENGTH fails type=sha',
    event: branch('dev'),
    env: { DOCKER_METADATA_SHORT_SHA_LENGTH: 'seven' },
    inputs: { images: IMG, tags: 'type=sha' },
    expected: { error: /DOCKER_METADATA_SHORT_SHA_LENGTH is not a valid number/ },
  },
  {
    name: 'sha: DOCKER_METADATA_SHORT_SHA_LENGTH=0 leaves the prefix alone',
    event: branch('dev'),
    env: { DOCKER_METADATA_SHORT_SHA_LENGTH: '0' },
    inputs: { images: IMG, tags: 'type=sha' },
    expected: ok('sha-', img('sha-')),
  },
  {
    name: 'sha: long form with DOCKER_METADATA_PR_HEAD_SHA on pull_request_target',
    event: {
      name: 'pull_request_target',
      ref: 'refs/heads/master',
      payload: {
        number: 9,
        repository: { default_branch: 'master' },
        pull_request: { number: 9, head: { sha: HEAD_SHA }, base: { ref: 'master' } },
      },
    },
    env: { DOCKER_METADATA_PR_HEAD_SHA: 'true' },
    inputs: { images: IMG, tags: 'type=ref,event=pr\ntype=sha,format=long' },
    expected: ok('pr-9', img('pr-9', `sha-${HEAD_SHA}`), {
      labels: { 'org.opencontainers.image.revision': HEAD_SHA },
    }),
  },
  {
    name: 'match: the group is looked up as written (group=01 is no group)',
    event: tag('v1.2.3'),
    inputs: { images: IMG, tags: 'type=match,pattern=v(.*),group=01\ntype=raw,value=x' },
    expected: ok('x', img('x'), { warning: /Group 01 does not exist/ }),
  },
  {
    name: 'semver: the pattern sees the parsed version, build parts too',
    event: tag('v1.2.3+build.5'),
    inputs: { images: IMG, tags: 'type=semver,pattern={{version}}-{{build}}' },
    expected: ok('1.2.3-build-5', img('1.2.3-build-5', 'latest')),
  },
  {
    name: 'semver: a prerelease ignores v in the pattern',
    event: tag('v1.0.0-rc.1'),
    inputs: { images: IMG, tags: 'type=semver,pattern=v{{version}}' },
    expected: ok('1.0.0-rc.1', img('1.0.0-rc.1')),
  },
  {
    name: 'pep440: local version parts come out comma-joined, then sanitised',
    event: tag('1.0+ubuntu.1'),
    inputs: { images: IMG, tags: 'type=pep440,pattern={{version}}' },
    expected: ok('1.0-ubuntu-1', img('1.0-ubuntu-1', 'latest')),
  },
  {
    name: 'date: ISO week tokens',
    event: branch('dev'),
    inputs: { images: IMG, tags: "type=raw,value={{date 'GGGG.[w]WW'}}" },
    expected: ok('2020.w02', img('2020.w02')),
  },
  {
    name: 'date: an unknown time zone falls back to local time instead of failing',
    event: branch('dev'),
    inputs: { images: IMG, tags: "type=raw,value={{date 'YYYY' tz='Mars/Olympus'}}" },
    expected: ok('2020', img('2020')),
  },
  {
    name: 'expressions: {{&branch}} is the unescaped form',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=raw,value=b-{{&branch}}' },
    expected: ok('b-dev', img('b-dev')),
  },
  {
    name: 'expressions: an output = is HTML-escaped before sanitising',
    event: branch('a=b'),
    inputs: { images: IMG, tags: 'type=raw,value={{branch}}\ntype=ref,event=branch' },
    expected: ok('a-b', img('a-b', 'a-x3D-b')),
  },
  {
    name: 'csv: a quote inside a rule value is an error',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=raw,value=a"b' },
    expected: { error: /quote/ },
  },
  {
    name: 'csv: an unclosed quote in the input is an error',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=raw,"value=x' },
    expected: { error: /quote/ },
  },
  {
    name: 'csv: quotes guard nothing across the second parse (comma splits the value)',
    event: branch('dev'),
    inputs: { images: IMG, tags: 'type=raw,"value=a,b"' },
    expected: ok('b', img('b')),
  },
  {
    name: 'raw: base_ref null in a tag push payload is empty',
    event: {
      name: 'push',
      ref: 'refs/tags/v1.0.0',
      payload: { base_ref: null, repository: { default_branch: 'master' } },
    },
    inputs: { images: IMG, tags: 'type=raw,value=x{{base_ref}}' },
    expected: ok('x', img('x')),
  },
  {
    name: 'edge follows the API default branch, is_default_branch the payload one',
    event: { name: 'push', ref: 'refs/heads/master', payload: { repository: { default_branch: 'main' } } },
    inputs: { images: IMG, tags: 'type=edge\ntype=raw,value=d-{{is_default_branch}}' },
    expected: ok('edge', img('edge', 'd-false')),
  },
  {
    name: 'discussion_comment counts as the default branch, issue_comment does not',
    event: {
      name: 'discussion_comment',
      ref: 'refs/heads/dev',
      payload: { repository: { default_branch: 'master' } },
    },
    inputs: { images: IMG, tags: 'type=raw,value=d-{{is_default_branch}}' },
    expected: ok('d-true', img('d-true')),
  },
  {
    name: 'issue_comment on another branch is not the default branch',
    event: {
      name: 'issue_comment',
      ref: 'refs/heads/dev',
      payload: { repository: { default_branch: 'master' } },
    },
    inputs: { images: IMG, tags: 'type=raw,value=d-{{is_default_branch}}' },
    expected: ok('d-false', img('d-false')),
  },
  {
    name: 'ref: tag with a slash is sanitised, {{tag}} keeps it until then',
    event: tag('app/v1.0'),
    inputs: { images: IMG, tags: 'type=ref,event=tag\ntype=raw,value=t-{{tag}}' },
    expected: ok('app-v1.0', img('app-v1.0', 't-app-v1.0', 'latest')),
  },
  {
    name: 'ref: no cut at 128 characters',
    event: branch('b'.repeat(130)),
    inputs: { images: IMG },
    expected: ok('b'.repeat(130), img('b'.repeat(130))),
  },
  {
    name: 'flavor: latest=true on a pull request',
    event: pr(12),
    inputs: { images: IMG, flavor: 'latest=true' },
    expected: ok('pr-12', img('pr-12', 'latest')),
  },
  {
    name: 'labels: expressions in the key, and the last duplicate wins',
    event: branch('dev'),
    inputs: { images: IMG, labels: 'com.{{branch}}.x=1\ncom.dev.x=2' },
    expected: ok('dev', img('dev'), { labels: { 'com.dev.x': '2' } }),
  },
];
