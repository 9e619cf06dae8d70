import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
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
    const f = await dockerFacts({}, { probeBuildx: false });
    expect(f.clientVersion).toMatch(/^\d+\.\d+/);
    expect(f.serverVersion).toMatch(/^\d+\.\d+/);
    expect(f.serverOs).toBe('linux');
    expect(f.buildx).toBe(false);
    const probed = await dockerFacts({}, { probeBuildx: true });
    let works = true;
    try {
      execFileSync('docker', ['buildx', 'version'], { stdio: 'ignore' });
    } catch {
      works = false;
    }
    expect(probed.buildx).toBe(works);
  });
});
