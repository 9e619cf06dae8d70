import { describe, expect, it } from 'vitest';
import { imageTarget as target } from '../../test/build-push/targets.js';
import { UserError } from '../core/errors.js';
import type { BuilderChoice } from './inputs.js';
import {
  cacheCandidates,
  chooseBuilder,
  factsToAsk,
  planBuild,
  planHistory,
  planLogin,
  planPush,
  type DockerFacts,
  type ImageTarget,
  type PlanOptions,
} from './plan.js';

const opts = (over: Partial<PlanOptions> = {}): PlanOptions => ({
  builder: 'classic',
  push: true,
  noCache: false,
  cache: true,
  provenance: false,
  iidfile: '/tmp/x/web.iid',
  metadataFile: '/tmp/x/web.json',
  ...over,
});
const IID = ['--iidfile', '/tmp/x/web.iid'];
const TAG = ['--tag', '127.0.0.1:5000/acme/web:1.2.3'];
// What every buildx build of the target gets first.
const BUILDX = ['buildx', 'build', ...TAG, ...IID, '--metadata-file', '/tmp/x/web.json'];

describe('planBuild', () => {
  const rows: {
    name: string;
    t: ImageTarget;
    o: PlanOptions;
    args: string[];
    env: Record<string, string>;
    warm?: string[];
  }[] = [
    {
      name: 'classic builder: no --cache-from for an image that is not local (it would disable the layer cache)',
      t: target(),
      o: opts(),
      args: ['build', '--force-rm', ...TAG, ...IID, '/src/web'],
      env: { DOCKER_BUILDKIT: '0' },
      warm: [],
    },
    {
      name: 'classic builder: the previous image of the first tag, when local, seeds the cache',
      t: target(),
      o: opts({ localImages: new Set(['127.0.0.1:5000/acme/web:1.2.3']) }),
      args: [
        'build',
        '--force-rm',
        ...TAG,
        ...IID,
        '--cache-from',
        '127.0.0.1:5000/acme/web:1.2.3',
        '/src/web',
      ],
      env: { DOCKER_BUILDKIT: '0' },
      warm: [],
    },
    {
      name: 'BuildKit through docker build: inline cache export and import',
      t: target(),
      o: opts({ builder: 'buildkit' }),
      args: [
        'build',
        ...TAG,
        ...IID,
        '--cache-from',
        '127.0.0.1:5000/acme/web:1.2.3',
        '--build-arg',
        'BUILDKIT_INLINE_CACHE=1',
        '/src/web',
      ],
      env: { DOCKER_BUILDKIT: '1' },
      warm: [],
    },
    {
      name: 'file, target, build args with shell characters, labels (empty ones left out), one platform, kept verbatim',
      t: target({
        file: '/src/web/Dockerfile.prod',
        target: 'runtime',
        buildArgs: [
          ['BASE', 'shipkit/base:bookworm'],
          ['MSG', 'a `b` $(c); d,e'],
        ],
        labels: [
          ['org.opencontainers.image.version', '1.2.3'],
          ['org.opencontainers.image.description', ''],
        ],
        platforms: ['linux/amd64'],
      }),
      o: opts({ builder: 'buildkit', push: false }),
      args: [
        'build',
        '--file',
        '/src/web/Dockerfile.prod',
        '--target=runtime',
        '--build-arg',
        'BASE=shipkit/base:bookworm',
        '--build-arg',
        'MSG=a `b` $(c); d,e',
        '--label',
        'org.opencontainers.image.version=1.2.3',
        ...TAG,
        ...IID,
        '--platform=linux/amd64',
        '/src/web',
      ],
      env: { DOCKER_BUILDKIT: '1' },
    },
    {
      name: 'classic builder pulls an explicit cache image first',
      t: target({ cacheFrom: ['type=registry,ref=r/c:cache'] }),
      o: opts({ localImages: new Set(['r/c:cache']) }),
      args: ['build', '--force-rm', ...TAG, ...IID, '--cache-from', 'r/c:cache', '/src/web'],
      env: { DOCKER_BUILDKIT: '0' },
      warm: ['r/c:cache'],
    },
    {
      name: 'no-cache drops every cache source',
      t: target({ cacheFrom: ['type=registry,ref=r/c:cache'] }),
      o: opts({ noCache: true }),
      args: ['build', '--force-rm', ...TAG, '--no-cache', ...IID, '/src/web'],
      env: { DOCKER_BUILDKIT: '0' },
      warm: [],
    },
    {
      name: 'explicit buildx-style registry cache-from becomes an image ref for docker build',
      t: target({ cacheFrom: ['type=registry,ref=r/c:cache'] }),
      o: opts({ builder: 'buildkit' }),
      args: [
        'build',
        ...TAG,
        ...IID,
        '--cache-from',
        'r/c:cache',
        '--build-arg',
        'BUILDKIT_INLINE_CACHE=1',
        '/src/web',
      ],
      env: { DOCKER_BUILDKIT: '1' },
    },
    {
      name: 'buildx single platform: registry cache at <repo>:buildcache, no provenance, loaded then pushed by docker push',
      t: target(),
      o: opts({ builder: 'buildx' }),
      args: [
        ...BUILDX,
        '--provenance=false',
        '--cache-from',
        'type=registry,ref=127.0.0.1:5000/acme/web:buildcache',
        '--cache-to',
        'type=registry,ref=127.0.0.1:5000/acme/web:buildcache,mode=max',
        '--load',
        '/src/web',
      ],
      env: {},
    },
    {
      name: 'buildx multi-platform pushes itself; user cache settings win; provenance kept on request',
      t: target({
        platforms: ['linux/amd64', 'linux/arm64'],
        cacheFrom: ['type=gha'],
        cacheTo: ['type=gha,mode=max'],
      }),
      o: opts({ builder: 'buildx', provenance: true }),
      args: [
        ...BUILDX,
        '--platform=linux/amd64,linux/arm64',
        '--cache-from',
        'type=gha',
        '--cache-to',
        'type=gha,mode=max',
        '--push',
        '/src/web',
      ],
      env: {},
    },
    {
      name: 'buildx without push exports no cache',
      t: target(),
      o: opts({ builder: 'buildx', push: false, cache: true }),
      args: [
        ...BUILDX,
        '--provenance=false',
        '--cache-from',
        'type=registry,ref=127.0.0.1:5000/acme/web:buildcache',
        '--load',
        '/src/web',
      ],
      env: {},
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const plan = planBuild(row.t, row.o);
      expect(plan.args).toEqual(row.args);
      expect(plan.env).toEqual(row.env);
      if (row.warm) expect(plan.warmCache).toEqual(row.warm);
    });
  }

  it('refuses several platforms without buildx, naming the input', () => {
    const t = target({ platforms: ['linux/amd64', 'linux/arm64'] });
    expect(() => planBuild(t, opts())).toThrow(UserError);
    expect(() => planBuild(t, opts())).toThrow(/2 platforms .* needs docker buildx/);
  });

  it('marks only the multi-platform buildx push as pushed by the build', () => {
    expect(planBuild(target({ platforms: ['a/b', 'c/d'] }), opts({ builder: 'buildx' })).pushedByBuild).toBe(
      true,
    );
    expect(planBuild(target(), opts({ builder: 'buildx' })).pushedByBuild).toBe(false);
  });
});

describe('chooseBuilder', () => {
  const facts = (over: Partial<DockerFacts>): DockerFacts => ({
    buildx: false,
    clientVersion: '20.10.24+dfsg1',
    serverVersion: '20.10.24+dfsg1',
    serverOs: 'linux',
    ...over,
  });
  const rows = [
    { name: 'buildx installed → buildx', f: facts({ buildx: true }), builder: 'buildx' },
    { name: 'CLI 20.10 + daemon 20.10 → BuildKit via DOCKER_BUILDKIT=1', f: facts({}), builder: 'buildkit' },
    {
      name: 'CLI 28 without buildx → classic (the CLI refuses BuildKit)',
      f: facts({ clientVersion: '28.2.2' }),
      builder: 'classic',
    },
    { name: 'Windows daemon → classic', f: facts({ serverOs: 'windows' }), builder: 'classic' },
    { name: 'daemon 17.12 → classic', f: facts({ serverVersion: '17.12.1-ce' }), builder: 'classic' },
  ] as const;
  for (const row of rows) {
    it(row.name, () => expect(chooseBuilder(row.f, 'auto').builder).toBe(row.builder));
  }
  it('says why it fell back to the classic builder', () => {
    expect(chooseBuilder(facts({ clientVersion: '28.2.2' }), 'auto').reason).toMatch(
      /needs the buildx plugin/,
    );
  });
  it('refuses an explicit choice that cannot work here', () => {
    expect(() => chooseBuilder(facts({}), 'buildx')).toThrow(
      /buildx is not installed|`docker buildx` is not installed/,
    );
    expect(() => chooseBuilder(facts({ clientVersion: '28.2.2' }), 'buildkit')).toThrow(UserError);
    expect(chooseBuilder(facts({ clientVersion: '28.2.2' }), 'classic').builder).toBe('classic');
  });
});

describe('factsToAsk', () => {
  const rows = [
    {
      name: 'classic: no docker process at all',
      choice: 'classic',
      plugin: true,
      probeBuildx: false,
      versions: 'never',
    },
    { name: 'buildx: the probe only', choice: 'buildx', plugin: false, probeBuildx: true, versions: 'never' },
    {
      name: 'auto with a plugin: versions only if buildx fails',
      choice: 'auto',
      plugin: true,
      probeBuildx: true,
      versions: 'withoutBuildx',
    },
    {
      name: 'auto without a plugin: the client version decides',
      choice: 'auto',
      plugin: false,
      probeBuildx: false,
      versions: 'always',
    },
    {
      name: 'buildkit without a plugin: both at once',
      choice: 'buildkit',
      plugin: false,
      probeBuildx: true,
      versions: 'always',
    },
    {
      name: 'buildkit with a plugin: versions only if buildx fails',
      choice: 'buildkit',
      plugin: true,
      probeBuildx: true,
      versions: 'withoutBuildx',
    },
  ] as const;
  for (const r of rows)
    it(r.name, () =>
      expect(factsToAsk(r.choice, r.plugin)).toEqual({ probeBuildx: r.probeBuildx, versions: r.versions }),
    );

  // The facts it leaves out never change the outcome: for every builder input, plugin on disk or not,
  // working buildx or not, CLI and daemon, chooseBuilder decides (or refuses) exactly as it did with the
  // facts asked before (both versions always; buildx probed for buildx, buildkit, or auto with a plugin).
  it('chooses the same builder, for the same reason, as with every fact asked', () => {
    const outcome = (f: DockerFacts, choice: BuilderChoice) => {
      try {
        return chooseBuilder(f, choice);
      } catch (err: unknown) {
        return { error: (err as Error).message };
      }
    };
    let cases = 0;
    for (const choice of ['auto', 'buildx', 'buildkit', 'classic'] as const)
      for (const plugin of [false, true])
        for (const works of [false, true])
          for (const clientVersion of ['20.10.24+dfsg1', '28.2.2'])
            for (const [serverVersion, serverOs] of [
              ['28.2.2', 'linux'],
              ['17.12.1-ce', 'linux'],
              ['28.2.2', 'windows'],
            ]) {
              const probedBefore =
                choice === 'buildx' || choice === 'buildkit' || (choice === 'auto' && plugin);
              const before = { buildx: probedBefore && works, clientVersion, serverVersion, serverOs };
              const ask = factsToAsk(choice, plugin);
              const buildx = ask.probeBuildx && works;
              const versions = ask.versions === 'always' || (ask.versions === 'withoutBuildx' && !buildx);
              const now = versions
                ? { buildx, clientVersion, serverVersion, serverOs }
                : { buildx, clientVersion: '', serverVersion: '', serverOs: '' };
              expect(outcome(now, choice), JSON.stringify({ choice, plugin, works, before })).toEqual(
                outcome(before, choice),
              );
              cases++;
            }
    expect(cases).toBe(96);
  });
});

describe('push, login and history commands', () => {
  it('never puts the password on the command line', () => {
    expect(planLogin('ghcr.io', 'octocat')).toEqual([
      'login',
      '--username',
      'octocat',
      '--password-stdin',
      'ghcr.io',
    ]);
  });
  it('pushes one ref per command and reads history in bytes with full instructions', () => {
    expect(planPush('r/a:1')).toEqual(['push', 'r/a:1']);
    expect(planHistory('sha256:ab')).toEqual([
      'history',
      '--no-trunc',
      '--human=false',
      '--format',
      '{{.Size}}\t{{.CreatedBy}}',
      'sha256:ab',
    ]);
  });
});

describe('cacheCandidates', () => {
  it('is the explicit cache refs, else the first tag when pushing with cache on', () => {
    expect(cacheCandidates(target(), { cache: true, push: true })).toEqual(['127.0.0.1:5000/acme/web:1.2.3']);
    expect(cacheCandidates(target({ cacheFrom: ['r/c:1'] }), { cache: true, push: true })).toEqual(['r/c:1']);
    expect(cacheCandidates(target(), { cache: false, push: true })).toEqual([]);
  });
});
