import { describe, expect, it } from 'vitest';
import { imageTarget as target } from '../../test/build-push/targets.js';
import { UserError } from '../core/errors.js';
import { InputReader, inputsFrom } from '../core/inputs.js';
import {
  buildKitArgs,
  checkCache,
  parseList,
  readBuildKitInputs,
  unsupportedInput,
  type BuildKitRaw,
} from './buildkit.js';
import { getInputs } from './inputs.js';
import { checkBuilderSupports, planBuild, type ImageTarget, type PlanOptions } from './plan.js';

const opts = (over: Partial<PlanOptions> = {}): PlanOptions => ({
  builder: 'buildx',
  push: true,
  noCache: false,
  cache: false,
  provenance: false,
  iidfile: '/tmp/x/web.iid',
  metadataFile: '/tmp/x/web.json',
  secretDir: '/tmp/x/web.secrets',
  ...over,
});

function userError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return String(err);
  }
  throw new Error('did not throw');
}

describe('parseList (actions-toolkit getInputList: CSV with relaxed quotes)', () => {
  const rows = [
    { name: 'lines and commas', text: 'a,b\nc', ignoreComma: false, expected: ['a', 'b', 'c'] },
    {
      name: 'ignoreComma keeps a line whole',
      text: 'type=gha,mode=max\ntype=local,dest=/c',
      ignoreComma: true,
      expected: ['type=gha,mode=max', 'type=local,dest=/c'],
    },
    {
      name: 'a quoted multi-line value',
      text: '"KEY=line1\nline2"\nB=2',
      ignoreComma: true,
      expected: ['KEY=line1\nline2', 'B=2'],
    },
    {
      name: 'a doubled quote inside quotes',
      text: '"A=say ""hi"", ok"',
      ignoreComma: true,
      expected: ['A=say "hi", ok'],
    },
    { name: 'a quote inside a field is literal', text: 'A=x"y', ignoreComma: true, expected: ['A=x"y'] },
    { name: 'blank lines and spaces dropped', text: '\n  a  \n\n', ignoreComma: true, expected: ['a'] },
    { name: 'CRLF line ends', text: 'a\r\nb', ignoreComma: true, expected: ['a', 'b'] },
  ];
  for (const row of rows) {
    it(row.name, () => expect(parseList(row.text, { ignoreComma: row.ignoreComma })).toEqual(row.expected));
  }
  it('refuses an unclosed quote', () => expect(() => parseList('"A=b')).toThrow(/no closing quote/));
});

describe('readBuildKitInputs: hostile and invalid values are refused naming the input', () => {
  const rows: { name: string; raw: BuildKitRaw; error: RegExp }[] = [
    {
      name: 'a secret without an id',
      raw: { secrets: '=value' },
      error: /input "secrets": line 1: expected ID=value/,
    },
    {
      name: 'a secret id with a comma (buildx would read another field)',
      raw: { secrets: 'a,src=/etc/passwd=x' },
      error: /input "secrets"/,
    },
    { name: 'a secret id with a newline', raw: { secrets: '"a\nb=x"' }, error: /input "secrets"/ },
    {
      name: 'a secret file path with a comma',
      raw: { secretFiles: 'k=/a,env=HOME' },
      error: /input "secret-files": k: expected a file path/,
    },
    { name: 'ssh with an option smuggled', raw: { ssh: 'default --push' }, error: /input "ssh"/ },
    { name: 'sbom with a newline', raw: { sbom: 'generator=x\n::warning::y' }, error: /input "sbom"/ },
    { name: 'attests without a type', raw: { attests: 'mode=max' }, error: /input "attests"/ },
    {
      name: 'outputs with a newline in a quoted value',
      raw: { outputs: '"type=local,dest=/a\n/b"' },
      error: /input "outputs"/,
    },
    { name: 'annotations without a value', raw: { annotations: 'org.x' }, error: /input "annotations"/ },
    { name: 'network starting with -', raw: { network: '--privileged' }, error: /input "network"/ },
    { name: 'network with $', raw: { network: '${HOME}' }, error: /input "network"/ },
    { name: 'shm-size as an exponent', raw: { shmSize: '1e3' }, error: /input "shm-size": expected a size/ },
    { name: 'shm-size negative', raw: { shmSize: '-1g' }, error: /input "shm-size"/ },
    { name: 'ulimit without a value', raw: { ulimit: 'nofile' }, error: /input "ulimit"/ },
    { name: 'ulimit as an exponent', raw: { ulimit: 'nofile=1e3' }, error: /input "ulimit"/ },
    {
      name: 'add-hosts with a bad address',
      raw: { addHosts: 'db:999.1.1.1' },
      error: /input "add-hosts": expected host:ip/,
    },
    {
      name: 'add-hosts with a path-like host',
      raw: { addHosts: '../x:10.0.0.1' },
      error: /input "add-hosts"/,
    },
  ];
  for (const row of rows) {
    it(row.name, () => expect(userError(() => readBuildKitInputs(row.raw))).toMatch(row.error));
  }

  it('never echoes a secret value in an error', () => {
    expect(userError(() => readBuildKitInputs({ secrets: 'ok=1\n=hunter2' }))).not.toContain('hunter2');
  });

  it('accepts the documented forms', () => {
    const b = readBuildKitInputs({
      secrets: 'GIT_AUTH_TOKEN=abc\n"PEM=-----BEGIN-----\nxyz\n-----END-----"',
      secretFiles: 'npmrc=./.npmrc',
      ssh: 'default,github=/run/ssh.sock',
      sbom: 'true',
      attests: 'type=provenance,mode=max',
      outputs: 'type=local,dest=./out',
      annotations: 'index:org.opencontainers.image.description=My image, with a comma',
      network: 'host',
      shmSize: '2g',
      ulimit: 'nofile=1024:2048\nnproc=-1',
      addHosts: 'db.local:10.0.0.5,v6:[::1],gw:host-gateway',
    });
    expect(b.secrets).toEqual([
      { id: 'GIT_AUTH_TOKEN', value: 'abc' },
      { id: 'PEM', value: '-----BEGIN-----\nxyz\n-----END-----' },
      { id: 'npmrc', file: './.npmrc' },
    ]);
    expect(b.ssh).toEqual(['default', 'github=/run/ssh.sock']);
    expect(b.annotations).toEqual(['index:org.opencontainers.image.description=My image, with a comma']);
    expect(b.ulimits).toEqual(['nofile=1024:2048', 'nproc=-1']);
    expect(b.addHosts).toEqual(['db.local:10.0.0.5', 'v6:[::1]', 'gw:host-gateway']);
  });
});

describe('the argument plan against buildx build’s documented flags', () => {
  const all = readBuildKitInputs({
    secrets: 'TOKEN=s3cr3t $HOME `id`\n"MULTI=a\nb"',
    secretFiles: 'npmrc=/w/.npmrc',
    ssh: 'default',
    sbom: 'generator=image',
    attests: 'type=provenance,mode=max\ntype=sbom,generator=other',
    annotations: 'manifest:org.opencontainers.image.title=web',
    network: 'none',
    shmSize: '128m',
    ulimit: 'nofile=1024:2048',
    addHosts: 'db:10.0.0.5',
  });

  it('buildx: --secret id=X,env=Y (values only in the environment), --ssh, --attest, --annotation, --network, --shm-size, --ulimit, --add-host', () => {
    const p = planBuild(target(), opts({ buildkit: all }));
    expect(p.args).toEqual([
      'buildx',
      'build',
      '--tag',
      '127.0.0.1:5000/acme/web:1.2.3',
      '--iidfile',
      '/tmp/x/web.iid',
      '--metadata-file',
      '/tmp/x/web.json',
      '--secret=id=TOKEN,env=SHIPKIT_SECRET_0',
      '--secret=id=MULTI,env=SHIPKIT_SECRET_1',
      '--secret=id=npmrc,src=/w/.npmrc',
      '--ssh=default',
      '--attest=type=sbom,generator=image',
      '--attest=type=provenance,mode=max',
      '--annotation=manifest:org.opencontainers.image.title=web',
      '--network=none',
      '--shm-size=128m',
      '--ulimit=nofile=1024:2048',
      '--add-host=db:10.0.0.5',
      '--load',
      '/src/web',
    ]);
    expect(p.env).toEqual({ SHIPKIT_SECRET_0: 's3cr3t $HOME `id`', SHIPKIT_SECRET_1: 'a\nb' });
    expect(p.args.join(' ')).not.toMatch(/s3cr3t|a\nb/);
    expect(p.secretFiles).toEqual([]);
  });

  it('sbom true/false become --attest type=sbom,disabled=false|true', () => {
    expect(buildKitArgs('buildx', readBuildKitInputs({ sbom: 'true' }), '/s').args).toEqual([
      '--attest=type=sbom,disabled=false',
    ]);
    expect(buildKitArgs('buildx', readBuildKitInputs({ sbom: 'FALSE' }), '/s').args).toEqual([
      '--attest=type=sbom,disabled=true',
    ]);
  });

  it('a provenance attest replaces shipkit’s --provenance=false', () => {
    const withAttest = planBuild(
      target(),
      opts({ buildkit: readBuildKitInputs({ attests: 'type=provenance,mode=min' }) }),
    );
    expect(withAttest.args).not.toContain('--provenance=false');
    expect(planBuild(target(), opts()).args).toContain('--provenance=false');
  });

  it('outputs: --output each, no --load or --push, marked exported', () => {
    const p = planBuild(
      target({ platforms: ['linux/amd64', 'linux/arm64'] }),
      opts({
        push: false,
        buildkit: readBuildKitInputs({ outputs: 'type=local,dest=/o\ntype=oci,dest=/o.tar' }),
      }),
    );
    expect(p.args.filter((a) => a.startsWith('--output') || a === '--load' || a === '--push')).toEqual([
      '--output=type=local,dest=/o',
      '--output=type=oci,dest=/o.tar',
    ]);
    expect(p.exported).toBe(true);
  });

  it('docker build with BuildKit (no buildx): secret values go to 0600 files it reads, not env', () => {
    const b = readBuildKitInputs({
      secrets: 'TOKEN=v',
      ssh: 'default',
      network: 'host',
      addHosts: 'db:10.0.0.5',
    });
    const p = planBuild(target(), opts({ builder: 'buildkit', buildkit: b }));
    expect(p.args).toEqual(
      expect.arrayContaining([
        '--secret=id=TOKEN,src=/tmp/x/web.secrets/secret-0',
        '--ssh=default',
        '--network=host',
        '--add-host=db:10.0.0.5',
      ]),
    );
    expect(p.secretFiles).toEqual([{ path: '/tmp/x/web.secrets/secret-0', value: 'v' }]);
    expect(p.env).toEqual({ DOCKER_BUILDKIT: '1' });
  });

  it('classic builder: network, shm-size, ulimit and add-hosts as docker build takes them', () => {
    const b = readBuildKitInputs({
      network: 'host',
      shmSize: '1g',
      ulimit: 'nofile=10',
      addHosts: 'db:10.0.0.5',
    });
    const p = planBuild(target(), opts({ builder: 'classic', buildkit: b }));
    expect(p.args.slice(-5)).toEqual([
      '--network=host',
      '--shm-size=1g',
      '--ulimit=nofile=10',
      '--add-host=db:10.0.0.5',
      '/src/web',
    ]);
  });
});

describe('a BuildKit-only input meets a builder without it: refused, naming the input', () => {
  const rows: {
    name: string;
    builder: 'classic' | 'buildkit';
    raw?: BuildKitRaw;
    t?: Partial<ImageTarget>;
    input: string;
  }[] = [
    { name: 'secrets on classic', builder: 'classic', raw: { secrets: 'A=b' }, input: 'secrets' },
    {
      name: 'secret-files on classic',
      builder: 'classic',
      raw: { secretFiles: 'A=/f' },
      input: 'secret-files',
    },
    { name: 'ssh on classic', builder: 'classic', raw: { ssh: 'default' }, input: 'ssh' },
    { name: 'sbom on classic', builder: 'classic', raw: { sbom: 'true' }, input: 'sbom' },
    {
      name: 'sbom on docker build with BuildKit',
      builder: 'buildkit',
      raw: { sbom: 'generator=x' },
      input: 'sbom',
    },
    { name: 'attests', builder: 'buildkit', raw: { attests: 'type=provenance,mode=max' }, input: 'attests' },
    { name: 'outputs', builder: 'classic', raw: { outputs: 'type=local,dest=/o' }, input: 'outputs' },
    { name: 'annotations', builder: 'buildkit', raw: { annotations: 'a=b' }, input: 'annotations' },
    {
      name: 'shm-size on docker build with BuildKit (it would ignore it)',
      builder: 'buildkit',
      raw: { shmSize: '1g' },
      input: 'shm-size',
    },
    {
      name: 'ulimit on docker build with BuildKit',
      builder: 'buildkit',
      raw: { ulimit: 'nofile=1' },
      input: 'ulimit',
    },
    {
      name: 'cache-to on classic',
      builder: 'classic',
      t: { cacheTo: ['type=registry,ref=r/c'] },
      input: 'cache-to',
    },
    {
      name: 'cache-from type=gha on classic',
      builder: 'classic',
      t: { cacheFrom: ['type=gha'] },
      input: 'cache-from',
    },
    {
      name: 'cache-from type=local on BuildKit',
      builder: 'buildkit',
      t: { cacheFrom: ['type=local,src=/c'] },
      input: 'cache-from',
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const b = readBuildKitInputs(row.raw ?? {});
      const t = target(row.t);
      expect(unsupportedInput(row.builder, b, t.cacheFrom, t.cacheTo)).toBe(row.input);
      const msg = userError(() => checkBuilderSupports(row.builder, 'docker CLI 28 has no buildx', b, [t]));
      expect(msg).toContain(`input "${row.input}": needs`);
      expect(msg).toContain(`the ${row.builder} builder (docker CLI 28 has no buildx)`);
      expect(() => planBuild(t, opts({ builder: row.builder, buildkit: b }))).toThrow(UserError);
    });
  }

  it('sbom: false and registry caches are fine on the classic builder', () => {
    expect(
      unsupportedInput(
        'classic',
        readBuildKitInputs({ sbom: 'false' }),
        ['type=registry,ref=r/c', 'r/d'],
        [],
      ),
    ).toBeUndefined();
  });
});

describe('checkCache', () => {
  const gha = { ACTIONS_CACHE_URL: 'https://x/', ACTIONS_RUNTIME_TOKEN: 't' };
  it('accepts gha, registry and local in an Actions job', () => {
    expect(() =>
      checkCache(
        ['type=gha', 'type=registry,ref=r/c', 'type=local,src=/c', 'r/plain'],
        ['type=gha,mode=max', 'type=inline'],
        gha,
      ),
    ).not.toThrow();
  });
  it('refuses gha without the Actions cache service, naming the input', () => {
    expect(userError(() => checkCache([], ['type=gha,mode=max'], {}))).toMatch(
      /input "cache-to": type=gha needs the GitHub Actions cache service/,
    );
  });
  it('refuses an unknown type and inline as a source', () => {
    expect(userError(() => checkCache(['type=inline'], [], gha))).toMatch(
      /input "cache-from": unknown cache type "inline"/,
    );
    expect(userError(() => checkCache([], ['type=nfs'], gha))).toMatch(/unknown cache type "nfs"/);
  });
});

describe('getInputs with the BuildKit inputs', () => {
  const inputs = (values: Record<string, string>) => getInputs(new InputReader(inputsFrom(values)));
  it('reads every one of them', () => {
    const i = inputs({
      tags: 'r/a:1',
      secrets: 'A=1',
      ssh: 'default',
      sbom: 'true',
      network: 'host',
      'shm-size': '64m',
      ulimit: 'nofile=1',
      'add-hosts': 'h:10.0.0.1',
      annotations: 'a=b',
      attests: 'type=provenance,mode=max',
    });
    expect(i.buildkit).toMatchObject({
      secrets: [{ id: 'A', value: '1' }],
      ssh: ['default'],
      sbom: 'true',
      network: 'host',
      shmSize: '64m',
      ulimits: ['nofile=1'],
      addHosts: ['h:10.0.0.1'],
      annotations: ['a=b'],
      attests: ['type=provenance,mode=max'],
    });
  });
  it('refuses outputs with push (shipkit would push an image that is not there) or max-size', () => {
    expect(userError(() => inputs({ tags: 'r/a:1', outputs: 'type=local,dest=o' }))).toMatch(
      /input "outputs": .*set push: false/,
    );
    expect(
      userError(() =>
        inputs({ tags: 'r/a:1', outputs: 'type=local,dest=o', push: 'false', 'max-size': '1MB' }),
      ),
    ).toMatch(/max-size/);
    expect(inputs({ tags: 'r/a:1', outputs: 'type=local,dest=o', push: 'false' }).buildkit.outputs).toEqual([
      'type=local,dest=o',
    ]);
  });
});
