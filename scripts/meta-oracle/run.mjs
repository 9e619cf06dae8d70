#!/usr/bin/env node
// Differential checks of src/meta against the libraries docker/metadata-action runs on
// (csv-parse, handlebars, moment-timezone, @renovatebot/pep440) and against metaref.mjs, a
// reconstruction of its meta.ts on those libraries. Not part of CI: it installs those libraries
// from npm into META_ORACLE_DIR (default /tmp/shipkit-meta-oracle) and fuzzes with random input.
//
//   node scripts/meta-oracle/run.mjs [iterations-scale, default 1]
//
// Known and accepted differences, left out of the counts: `z` zone abbreviations for the zones
// Intl cannot name (CST for Asia/Shanghai…), blank list items (metadata-action keeps them and
// then fails), and the duplicate `latest` (metaref runs with dedupe, see the audit report).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dir = process.env.META_ORACLE_DIR || '/tmp/shipkit-meta-oracle';
const scale = Number(process.argv[2] ?? 1);

if (!existsSync(join(dir, 'node_modules', 'moment-timezone'))) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"private":true}');
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      'handlebars@4',
      'moment-timezone',
      'csv-parse@5',
      '@renovatebot/pep440',
      'semver@7',
    ],
    { cwd: dir, stdio: 'inherit' },
  );
}
writeFileSync(
  join(dir, 'entry.ts'),
  ['csv', 'template', 'dateformat', 'versions', 'index']
    .map((m) => `export * from ${JSON.stringify(join(root, 'src', 'meta', `${m}.ts`))};`)
    .join('\n'),
);
execFileSync(
  join(root, 'node_modules', '.bin', 'esbuild'),
  [
    join(dir, 'entry.ts'),
    '--bundle',
    '--platform=node',
    '--format=esm',
    `--outfile=${join(dir, 'ours.mjs')}`,
    '--log-level=warning',
  ],
  { stdio: 'inherit' },
);

const ours = await import(join(dir, 'ours.mjs'));
const { libs } = await import('./libs.mjs');
const { Meta, getList, workflowContext } = await import('./metaref.mjs');
console.error = () => undefined; // moment-timezone complains about unknown zones on purpose

const rnd = (n) => Math.floor(Math.random() * n);
const pick = (a) => a[rnd(a.length)];
const words = (alphabet, max) => Array.from({ length: 1 + rnd(max) }, () => pick(alphabet)).join('');
const attempt = (f) => {
  try {
    return JSON.stringify(f());
  } catch {
    return 'ERR';
  }
};
let failed = 0;
function check(name, n, gen, theirs, mine) {
  let diffs = 0;
  for (let i = 0; i < n * scale; i++) {
    const x = gen();
    const a = attempt(() => theirs(x));
    const b = attempt(() => mine(x));
    if (a !== b && diffs++ < 5)
      console.log(`  ${name}: ${JSON.stringify(x)}\n    theirs ${a}\n    ours   ${b}`);
  }
  console.log(`${name}: ${n * scale} inputs, ${diffs} differences`);
  failed += diffs;
}

// CSV: list inputs (relax_quotes, '#') and rule lines (strict quotes).
const csvAlphabet = ['a', 'b', '=', ',', '#', '\n', '"', '""', 'x y', '\r\n', '\r', ' '];
const listOpts = {
  columns: false,
  relaxQuotes: true,
  comment: '#',
  relaxColumnCount: true,
  skipEmptyLines: true,
};
check(
  'csv list',
  100000,
  () => words(csvAlphabet, 10),
  (s) => libs.csv.parse(s, listOpts),
  (s) => ours.parseCsv(s, { comment: '#', relaxQuotes: true }),
);
check(
  'csv line',
  100000,
  () => words(csvAlphabet, 10),
  (s) => libs.csv.parse(s, { relaxColumnCount: true, skipEmptyLines: true }),
  (s) => ours.parseCsv(s),
);

// Handlebars over metadata-action's helpers.
const scope = {
  branch: () => 'feat=x<y>',
  tag: () => '',
  sha: () => '860c190',
  is_default_branch: () => 'true',
};
const hbsDate = (f, o) => `D(${typeof f === 'string' ? f : 'obj'}|${JSON.stringify(o?.hash ?? {})})`;
const ourDate = (args, hash) => `D(${typeof args[0] === 'string' ? args[0] : 'obj'}|${JSON.stringify(hash)})`;
const hbsPieces = [
  '{{branch}}',
  '{{ sha }}',
  '{{{branch}}}',
  '{{&branch}}',
  '{{nope}}',
  "{{date 'YYYY'}}",
  "{{date 'Y' tz='Asia/Tokyo'}}",
  '{{#if tag}}t{{else}}f{{/if}}',
  '{{#unless tag}}u{{/unless}}',
  '\\{{branch}}',
  '{{!c}}',
  '{{!-- c --}}',
  'x',
  '-',
  '=',
  ' ',
  '{{~branch~}}',
  '{{',
  '}}',
  '{{this.sha}}',
  '{{./sha}}',
  '{{date "YYYY"}}',
  '{{date}}',
  '{{=}}',
];
check(
  'handlebars',
  30000,
  () => words(hbsPieces, 4),
  (t) => libs.handlebars.compile(t)({ ...scope, date: hbsDate }),
  (t) => ours.render(t, { ...scope, date: ourDate }),
);

// moment-timezone formats (without `z`).
const dateTokens = [
  'YYYY',
  'YY',
  'Y',
  'Q',
  'M',
  'MM',
  'Mo',
  'D',
  'DD',
  'Do',
  'DDD',
  'd',
  'e',
  'E',
  'w',
  'ww',
  'W',
  'WW',
  'gggg',
  'GGGG',
  'gg',
  'GG',
  'H',
  'HH',
  'h',
  'hh',
  'k',
  'm',
  'mm',
  's',
  'ss',
  'SSS',
  'A',
  'a',
  'X',
  'x',
  'Z',
  'ZZ',
  '[',
  ']',
  '\\',
  '-',
  '_',
  '.',
  ':',
  'T',
  ' ',
  'L',
  'LT',
  'LTS',
  'l',
  'll',
  'LL',
  'N',
  'y',
  'yo',
  'Hmm',
  'hmmss',
  'o',
  '|',
  'w|',
];
const zones = [
  'UTC',
  'Asia/Tokyo',
  'Europe/Paris',
  'America/New_York',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'Etc/GMT+3',
  'utc',
  'Mars/Base',
  'America/St_Johns',
];
const genDate = () => ({
  d: new Date(
    Date.UTC(1990 + rnd(50), rnd(12), 1 + rnd(31), rnd(24), rnd(60), rnd(60), rnd(1000)),
  ).toISOString(),
  tz: pick(zones),
  f: rnd(10) ? words(dateTokens, 5) : '',
});
check(
  'moment',
  50000,
  genDate,
  (x) => libs.moment(new Date(x.d)).tz(x.tz).format(x.f),
  (x) => ours.formatDate(new Date(x.d), x.f, x.tz),
);

// PEP 440.
const pepPieces = [
  '1',
  '0',
  '2',
  '01',
  '.',
  '.',
  '-',
  '_',
  'a',
  'b',
  'c',
  'rc',
  'alpha',
  'beta',
  'pre',
  'preview',
  'post',
  'rev',
  'r',
  'dev',
  '+',
  'local',
  'v',
  'V',
  '!',
  'RC',
  'Post',
  ' ',
  'x',
  '10',
];
check(
  'pep440',
  100000,
  () => pick(['1', 'v1', '2', '0']) + (rnd(7) ? words(pepPieces, 6) : ''),
  (s) => {
    if (libs.pep440.valid(s) === null) return 'invalid';
    const e = libs.pep440.explain(s);
    const p = libs.pep440;
    return [
      p.clean(s),
      e.is_prerelease || e.is_postrelease || e.is_devrelease,
      p.major(s),
      p.minor(s),
      p.patch(s),
    ];
  },
  (s) => {
    const v = ours.parsePep440(s);
    return v ? [v.vars.version, v.isPrerelease, v.vars.major, v.vars.minor, v.vars.patch] : 'invalid';
  },
);

// Whole runs: random events, rules, flavors, images, labels against metaref.
const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37';
const HEAD = 'a9c8c5828b91be19d9728548b24759e352367ef1';
const DATE = new Date(1578616200000);
const repo = {
  name: 'Hello-World',
  description: 'This your first repo!',
  html_url: 'https://github.com/octocat/Hello-World',
  default_branch: 'master',
  license: { spdx_id: 'MIT' },
};
const apiRepo = {
  name: repo.name,
  description: repo.description,
  htmlUrl: repo.html_url,
  license: 'MIT',
  defaultBranch: 'master',
};
const events = [
  () => ({
    name: 'push',
    ref: `refs/heads/${pick(['master', 'dev', 'my/feature#1', 'Feature_X', 'a=b'])}`,
    payload: {
      repository: { default_branch: 'master' },
      commits: [{ id: SHA, timestamp: '2019-12-31T23:59:00+09:00' }],
    },
  }),
  () => ({
    name: 'push',
    ref: `refs/tags/${pick(['v1.2.3', '1.2.3', 'v2.0.8-beta.67', 'v1.0.0-rc.1', 'v0.1.2', 'p1/v1.2.3', 'release1', '20200110-RC2', '1.2.3a1', '1.2.3post1', '1.0dev4', 'v1.2', 'V1.2.3', 'v1.2.3+build.5', '1!2.0', 'app-1.2.3', '1.0+ubuntu.1'])}`,
    payload: { base_ref: pick([null, 'refs/heads/master']), repository: { default_branch: 'master' } },
  }),
  () => {
    const n = 1 + rnd(50);
    return {
      name: pick(['pull_request', 'pull_request_target']),
      ref: pick([`refs/pull/${n}/merge`, 'refs/heads/master']),
      payload: {
        number: n,
        repository: { default_branch: 'master' },
        pull_request: { number: n, head: { sha: HEAD }, base: { ref: 'master' } },
      },
    };
  },
  () => ({ name: 'schedule', ref: `refs/heads/${pick(['master', 'dev'])}`, payload: {} }),
  () => ({
    name: pick(['workflow_dispatch', 'release', 'create', 'issues', 'discussion_comment', 'merge_group']),
    ref: pick(['refs/heads/master', 'refs/heads/dev', 'refs/tags/v3.4.5', 'refs/tags/v3.4.5-alpha']),
    payload: { repository: { default_branch: 'main' } },
  }),
];
const rules = [
  'type=schedule',
  "type=schedule,pattern={{date 'YYYYMMDD'}}",
  'type=schedule,pattern=nightly-{{branch}}',
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=semver,pattern={{major}}',
  'type=semver,pattern={{raw}}',
  'type=semver,pattern=v{{major}}',
  'type=semver,pattern={{version}}-{{build}}',
  'type=semver,pattern={{version}},value=v9.8.7',
  'type=semver,pattern={{version}},match=v(\\d.\\d.\\d)$',
  'type=semver,pattern={{major}},enable={{is_default_branch}}',
  'type=semver,pattern={{version}},prefix=v,suffix=-x',
  'type=pep440,pattern={{version}}',
  'type=pep440,pattern={{major}}.{{minor}}',
  'type=pep440,pattern={{raw}}',
  'type=pep440,pattern={{major}}.{{minor}},match=app-(.*)',
  'type=match,pattern=\\d+',
  'type=match,pattern=v(.*),group=1',
  'type=match,"pattern=/^v(\\d.\\d.\\d)$/i",group=1',
  'type=match,pattern=v\\d,group=3',
  'type=match,pattern=v(.*),group=01',
  'type=match,pattern=\\d.\\d,value=release-1.2-final',
  'type=edge',
  'type=edge,branch=dev',
  'type=edge,suffix=-{{sha}}',
  'type=ref,event=branch',
  'type=ref,event=tag',
  'type=ref,event=pr',
  'type=ref,event=pr,prefix=pull-',
  'type=ref,event=branch,suffix=-{{sha}}',
  'type=ref,event=tag,priority=1001',
  'type=raw,value=latest',
  'type=raw,value=latest,enable={{is_default_branch}}',
  'type=raw,value={{branch}}-{{sha}}',
  'foo',
  'type=raw,value={{tag}}',
  'type=raw,value={{base_ref}}',
  'type=raw,value=x,priority=',
  'type=raw,value=y,priority=high',
  "type=raw,value={{date 'GGGG.WW'}}",
  "type=raw,value={{commit_date 'YYYYMMDD-HHmm' tz='Asia/Tokyo'}}",
  'type=raw,value=preview,enable={{is_not_default_branch}}',
  'type=raw,value=my tag/v1',
  'type=raw,value=Release-A,priority=50',
  'type=raw,value=a"b',
  'type=sha',
  'type=sha,format=long',
  'type=sha,prefix=',
  'type=sha,prefix={{branch}}-',
  'type=sha,enable={{is_default_branch}}',
  '# a comment',
  'type=raw,value=x # trailing',
  'type=raw,"value=a,b"',
];
const flavors = [
  '',
  'latest=true',
  'latest=false',
  'prefix=foo-',
  'prefix=foo-,onlatest=true',
  'suffix=-alpine,onlatest=true',
  'suffix=-alpine',
  'prefix=a-,onlatest=true,suffix=-b',
  'latest=auto\nprefix=p-,onlatest=true\nsuffix=-s,onlatest=true',
];
const images = [
  '',
  'user/app',
  'user/app\nghcr.io/User/App',
  'user/app,ghcr.io/user/app',
  'name=user/app\nname=ghcr.io/user/app,enable=false',
  'name=user/app,enable=false',
  'user/app,',
];
const labels = [
  '',
  'maintainer=CrazyMax\norg.opencontainers.image.title=MyCustomTitle\nnoequals',
  'com.example.branch={{branch}}\ncom.example.opts=a=b',
  "com.x={{date 'YYYY'}}",
  'com.{{branch}}.x=1\ncom.dev.x=2',
];
const envs = [
  {},
  { DOCKER_METADATA_SHORT_SHA_LENGTH: '12' },
  { DOCKER_METADATA_PR_HEAD_SHA: 'true' },
  { DOCKER_METADATA_SHORT_SHA_LENGTH: 'x' },
];
const genRun = () => ({
  ev: pick(events)(),
  inputs: {
    tags: Array.from({ length: rnd(5) }, () => pick(rules)).join('\n'),
    flavor: pick(flavors),
    images: pick(images),
    labels: pick(labels),
  },
  env: pick(envs),
});
const runEnv = (x) => ({
  GITHUB_ACTIONS: 'true',
  GITHUB_EVENT_NAME: x.ev.name,
  GITHUB_REF: x.ev.ref,
  GITHUB_SHA: SHA,
  GITHUB_REPOSITORY: 'octocat/Hello-World',
  SOURCE_DATE_EPOCH: '1578616200',
  ...x.env,
});
check(
  'metadata-action runs (metaref)',
  20000,
  genRun,
  (x) => {
    const env = runEnv(x);
    const commitDate = x.ev.payload.commits ? new Date(x.ev.payload.commits[0].timestamp) : DATE;
    const list = (k) => getList(x.inputs[k]).filter((i) => i);
    const m = new Meta(
      { images: list('images'), tags: list('tags'), flavor: list('flavor'), labels: list('labels') },
      workflowContext(env, x.ev.payload, commitDate),
      repo,
      env,
      DATE,
      { dedupe: true },
    );
    return [m.version.main || '', m.getTags(), m.getTags(true), m.getLabels()];
  },
  (x) => {
    const env = runEnv(x);
    const ctx = ours.githubEventContext(env, x.ev.payload, ours.commonContext(env), apiRepo);
    const list = (k) => ours.listInput(x.inputs[k]);
    const r = ours.computeMetaSync(
      {
        images: list('images'),
        tags: list('tags'),
        flavor: list('flavor'),
        labels: list('labels'),
        annotations: [],
      },
      ctx,
    );
    return [r.version, r.tags, r.tagNames, Object.entries(r.labels).map(([k, v]) => `${k}=${v}`)];
  },
);
process.exitCode = failed ? 1 : 0;
