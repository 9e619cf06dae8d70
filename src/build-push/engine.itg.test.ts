import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
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

  it('imagesFacts: size and layer count by image id, as docker image inspect reports them', async () => {
    const id = execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', base], {
      encoding: 'utf8',
    }).trim();
    const size = Number(
      execFileSync('docker', ['image', 'inspect', '--format', '{{.Size}}', base], { encoding: 'utf8' }),
    );
    const facts = await imagesFacts([id, id], {});
    expect([...facts.keys()]).toEqual([id]);
    expect(facts.get(id)).toMatchObject({ size });
    expect(facts.get(id)!.layers).toBeGreaterThan(0);
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
