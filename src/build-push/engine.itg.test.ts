import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { cliEngine } from '../docker/api.js';
import { dockerFacts, imagesFacts, presentImages } from './engine.js';
import { hostFacts, missingDocker } from '../../test/helpers/host.js';

const skip = missingDocker();

describe.skipIf(skip)(`engine helpers against the real docker${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const base = skip ? '' : hostFacts()!.baseImage;
  const missing = `127.0.0.1:5000/skbp-itg-never-built:${Date.now().toString(36)}`;

  it('presentImages: one inspect tells the local images from the missing ones', async () => {
    expect(await presentImages([base, missing, base], {})).toEqual(new Set([base]));
    expect(await presentImages([missing], {})).toEqual(new Set());
    expect(await presentImages([base], {})).toEqual(new Set([base]));
    expect(await presentImages([], {})).toEqual(new Set());
  });

  // The engine the CLI uses here, as build-push finds it (the local socket on the test host).
  const local = skip ? undefined : cliEngine(process.env, homedir());

  it('presentImages: the engine API and the docker CLI find the same images, hostile refs included', async () => {
    const id = execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', base], {
      encoding: 'utf8',
    }).trim();
    const refs = [
      base,
      `docker.io/${base}`,
      id,
      id.slice(7, 19),
      missing,
      `${missing.split(':').slice(0, 2).join(':')}@sha256:${'0'.repeat(64)}`,
      'Bad Ref#?/../x',
      '../../containers/json',
      '%2e%2e/x',
    ];
    expect(local?.socketPath).toBeTruthy();
    expect(await presentImages(refs.slice(0, 6), {}, local)).toEqual(
      new Set([base, `docker.io/${base}`, id, id.slice(7, 19)]),
    );
    // On the local socket no docker process is needed at all: it answers with no docker CLI on PATH.
    expect(await presentImages([base, missing], { PATH: '/nonexistent' }, local)).toEqual(new Set([base]));
    await expect(presentImages([base], { PATH: '/nonexistent' })).rejects.toThrow(
      /docker: command not found/,
    );
    // A ref docker cannot even parse makes the whole lookup unusable, on both paths: nothing counts as present.
    expect(await presentImages(refs, {}, local)).toEqual(await presentImages(refs, {}));
    for (const ref of refs) {
      const one = await presentImages([ref], {}, local);
      expect(one, ref).toEqual(await presentImages([ref], {}));
    }
  });

  it('imagesFacts: size and layer count by image id, as docker image inspect reports them', async () => {
    const id = execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', base], {
      encoding: 'utf8',
    }).trim();
    const size = Number(
      execFileSync('docker', ['image', 'inspect', '--format', '{{.Size}}', base], { encoding: 'utf8' }),
    );
    const facts = await imagesFacts([id, id], {});
    expect(await imagesFacts([id, id], {}, local)).toEqual(facts);
    expect([...facts.keys()]).toEqual([id]);
    expect(facts.get(id)).toMatchObject({ size });
    expect(facts.get(id)!.layers).toBeGreaterThan(0);
    expect(await imagesFacts([id], { PATH: '/nonexistent' }, local)).toEqual(facts);
    // A missing one: the CLI answers, and words the error, as before.
    await expect(imagesFacts([id, missing], {}, local)).rejects.toThrow(/No such image/);
  });

  it('dockerFacts: versions from one docker version call; buildx only when probed and working', async () => {
    const f = await dockerFacts({}, { probeBuildx: false, versions: 'always' });
    expect(f.clientVersion).toMatch(/^\d+\.\d+/);
    expect(f.serverVersion).toMatch(/^\d+\.\d+/);
    expect(f.serverOs).toBe('linux');
    expect(f.buildx).toBe(false);
    const probed = await dockerFacts({}, { probeBuildx: true, versions: 'always' });
    let works = true;
    try {
      execFileSync('docker', ['buildx', 'version'], { stdio: 'ignore' });
    } catch {
      works = false;
    }
    expect(probed.buildx).toBe(works);
    // Only what is asked: nothing for the classic builder; the versions after a failed probe only.
    expect(await dockerFacts({}, { probeBuildx: false, versions: 'never' })).toEqual({
      buildx: false,
      clientVersion: '',
      serverVersion: '',
      serverOs: '',
    });
    const after = await dockerFacts({}, { probeBuildx: true, versions: 'withoutBuildx' });
    expect(after.buildx).toBe(works);
    expect(after.clientVersion).toBe(works ? '' : f.clientVersion);
    expect(after.serverOs).toBe(works ? '' : 'linux');
    // Through the engine API and `docker --version`: the same facts; a socket that does not answer, or no
    // CLI behind the answer, falls back to `docker version` (which fails as before without a docker at all).
    const always = { probeBuildx: false, versions: 'always' } as const;
    expect(await dockerFacts({}, always, local)).toEqual(f);
    expect(await dockerFacts({}, always, { socketPath: '/nonexistent.sock', label: 'nowhere' })).toEqual(f);
    await expect(dockerFacts({ PATH: '/nonexistent' }, always, local)).rejects.toThrow();
    await expect(
      dockerFacts({ PATH: '/nonexistent' }, { probeBuildx: false, versions: 'always' }),
    ).rejects.toThrow();
  });

  // Debian's 20.10 client still carries BuildKit: its version is the one that decides the builder.
  const debian = existsSync('/usr/bin/docker') ? '' : 'no Debian docker client at /usr/bin/docker';
  it.skipIf(debian)(
    `dockerFacts: a 20.10 client read through the API path as by docker version${debian ? ` (skipped: ${debian})` : ''}`,
    async () => {
      const always = { probeBuildx: false, versions: 'always' } as const;
      const old = await dockerFacts({ PATH: '/usr/bin:/bin' }, always);
      expect(old.clientVersion).toMatch(/^20\./);
      expect(await dockerFacts({ PATH: '/usr/bin:/bin' }, always, local)).toEqual(old);
    },
  );
});
