import { describe, expect, it } from 'vitest';
import { imageEntries, platformSizes, type ManifestDoc } from './manifest.js';

const d = (n: number) => `sha256:${String(n).padStart(64, '0')}`;

// Shapes as registries serve them: a BuildKit multi-platform push (OCI index with an attestation
// manifest per platform), a Docker manifest list (docker manifest push), and single manifests.
const buildkitIndex: ManifestDoc = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: d(1),
      size: 1052,
      platform: { architecture: 'amd64', os: 'linux' },
    },
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: d(2),
      size: 1052,
      platform: { architecture: 'arm64', os: 'linux' },
    },
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: d(3),
      size: 566,
      annotations: {
        'vnd.docker.reference.digest': d(1),
        'vnd.docker.reference.type': 'attestation-manifest',
      },
      platform: { architecture: 'unknown', os: 'unknown' },
    },
  ],
};
const ociManifest = (config: number, layers: number[]): ManifestDoc => ({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d(90), size: config },
  layers: layers.map((size, i) => ({
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    digest: d(100 + i),
    size,
  })),
});
const attestation: ManifestDoc = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d(91), size: 167 },
  layers: [{ mediaType: 'application/vnd.in-toto+json', digest: d(92), size: 30_000_000 }],
};
const dockerList: ManifestDoc = {
  schemaVersion: 2,
  mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
  manifests: [
    {
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      size: 1568,
      digest: d(11),
      platform: { architecture: 'arm', os: 'linux', variant: 'v7' },
    },
    {
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      size: 1568,
      digest: d(12),
      platform: { architecture: 'amd64', os: 'linux' },
    },
  ],
};
const dockerManifest = (config: number, layers: number[]): ManifestDoc => ({
  schemaVersion: 2,
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config, digest: d(93) },
  layers: layers.map((size, i) => ({
    mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
    size,
    digest: d(200 + i),
  })),
});

function registry(docs: Record<string, ManifestDoc>) {
  const asked: string[] = [];
  const fetch = (ref: string) => {
    asked.push(ref);
    const doc = docs[ref];
    return doc ? Promise.resolve(doc) : Promise.reject(new Error(`manifest unknown: ${ref}`));
  };
  return { fetch, asked };
}

describe('platformSizes: a pushed image measured from its manifests', () => {
  it('BuildKit OCI index: one size per platform (config + compressed layers), attestations skipped', async () => {
    const r = registry({
      'reg/app@sha256:top': buildkitIndex,
      [`reg/app@${d(1)}`]: ociManifest(1_500, [3_000_000, 20_000_000]),
      [`reg/app@${d(2)}`]: ociManifest(1_400, [2_900_000, 25_000_000, 100]),
      [`reg/app@${d(3)}`]: attestation,
    });
    const sizes = await platformSizes('reg/app@sha256:top', r.fetch);
    expect(sizes).toEqual([
      { platform: 'linux/amd64', digest: d(1), size: 23_001_500, layers: 2 },
      { platform: 'linux/arm64', digest: d(2), size: 27_901_500, layers: 3 },
    ]);
    expect(r.asked).not.toContain(`reg/app@${d(3)}`);
    expect(imageEntries(buildkitIndex)).toHaveLength(2);
  });

  it('Docker manifest list (by tag, on a registry with a port): variants named, each measured', async () => {
    const r = registry({
      '127.0.0.1:5000/acme/app:1.0': dockerList,
      [`127.0.0.1:5000/acme/app@${d(11)}`]: dockerManifest(7_000, [5_000_000]),
      [`127.0.0.1:5000/acme/app@${d(12)}`]: dockerManifest(7_100, [6_000_000, 1]),
    });
    const sizes = await platformSizes('127.0.0.1:5000/acme/app:1.0', r.fetch);
    expect(sizes.map((s) => [s.platform, s.size])).toEqual([
      ['linux/arm/v7', 5_007_000],
      ['linux/amd64', 6_007_101],
    ]);
  });

  it('a single-platform manifest gives one size', async () => {
    const r = registry({ 'reg/app:1': ociManifest(100, [1_000, 2_000]) });
    expect(await platformSizes('reg/app:1', r.fetch)).toEqual([
      { platform: 'unknown', digest: '', size: 3_100, layers: 2 },
    ]);
  });

  it('an index with only attestations, or an entry that is not an image, is an error, not size 0', async () => {
    const onlyAttestations = { ...buildkitIndex, manifests: [buildkitIndex.manifests![2]] };
    await expect(platformSizes('reg/a:1', registry({ 'reg/a:1': onlyAttestations }).fetch)).rejects.toThrow(
      /lists no image manifest/,
    );
    const r = registry({
      'reg/a:2': buildkitIndex,
      [`reg/a@${d(1)}`]: { schemaVersion: 2, mediaType: 'application/vnd.oci.artifact.manifest.v1+json' },
      [`reg/a@${d(2)}`]: ociManifest(1, [1]),
    });
    await expect(platformSizes('reg/a:2', r.fetch)).rejects.toThrow(/not an image manifest/);
  });
});
