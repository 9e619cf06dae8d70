import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { missingDocker } from '../helpers/host.js';
import { MemoryPlatform } from '../../src/platform/memory.js';
import { measure, type Built, type Ctx } from '../../src/build-push/image.js';
import { fetchManifest, platformSizes } from '../../src/build-push/manifest.js';
import { facts, RUN_TAG } from './helpers.js';

/**
 * max-size of a multi-platform image: the classic builder here cannot build one, so the index is
 * pushed by hand (two single-platform images, then an OCI index naming them plus an attestation
 * entry, PUT to the real registry), and measured the way build-push measures a buildx push.
 */
const skip = missingDocker();
const REPO = 'sksafe/multi';

describe.skipIf(skip)(
  `pushed multi-platform image size, real registry${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'sksafe-manifest-'));
    const env = { DOCKER_CONFIG: join(dir, 'config') };
    let registry: string;
    let auth: string;
    const platforms: {
      platform: { os: string; architecture: string };
      digest: string;
      size: number;
      bytes: number;
    }[] = [];
    let indexDigest = '';

    beforeAll(async () => {
      const f = facts();
      registry = f.registry;
      auth = `Basic ${Buffer.from(`${f.registryUser}:${f.registryPassword}`).toString('base64')}`;
      execFileSync('docker', ['login', '-u', f.registryUser, '--password-stdin', registry], {
        input: f.registryPassword,
        env: { ...process.env, ...env },
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      // Two "platforms" of different sizes (random bytes: gzip cannot shrink them).
      for (const [arch, kib] of [
        ['amd64', 300],
        ['arm64', 700],
      ] as const) {
        const ctx = join(dir, arch);
        execFileSync('mkdir', ['-p', ctx]);
        writeFileSync(join(ctx, 'blob'), randomBytes(kib * 1024));
        writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY blob /blob\n');
        const tag = `${registry}/${REPO}:${arch}-${RUN_TAG}`;
        execFileSync('docker', ['build', '-q', '-t', tag, ctx], { stdio: 'ignore' });
        execFileSync('docker', ['push', tag], { env: { ...process.env, ...env }, stdio: 'ignore' });
        execFileSync('docker', ['rmi', tag], { stdio: 'ignore' });
        // What the registry holds, read over its HTTP API (independent of the code under test).
        const res = await fetch(`http://${registry}/v2/${REPO}/manifests/${arch}-${RUN_TAG}`, {
          headers: { authorization: auth, accept: 'application/vnd.docker.distribution.manifest.v2+json' },
        });
        const text = await res.text();
        const m = JSON.parse(text) as { config: { size: number }; layers: { size: number }[] };
        platforms.push({
          platform: { os: 'linux', architecture: arch },
          digest: res.headers.get('docker-content-digest')!,
          size: Buffer.byteLength(text),
          bytes: m.config.size + m.layers.reduce((s, l) => s + l.size, 0),
        });
      }
      const index = {
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          ...platforms.map((p) => ({
            mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
            digest: p.digest,
            size: p.size,
            platform: p.platform,
          })),
          // As BuildKit adds one: not an image, must not count.
          {
            mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
            digest: platforms[1].digest,
            size: platforms[1].size,
            platform: { os: 'unknown', architecture: 'unknown' },
            annotations: {
              'vnd.docker.reference.type': 'attestation-manifest',
              'vnd.docker.reference.digest': platforms[0].digest,
            },
          },
        ],
      };
      const put = await fetch(`http://${registry}/v2/${REPO}/manifests/index-${RUN_TAG}`, {
        method: 'PUT',
        headers: { authorization: auth, 'content-type': 'application/vnd.oci.image.index.v1+json' },
        body: JSON.stringify(index),
      });
      expect(put.status).toBe(201);
      indexDigest = put.headers.get('docker-content-digest')!;
    });

    afterAll(async () => {
      for (const digest of [indexDigest, ...platforms.map((p) => p.digest)].filter(Boolean))
        await fetch(`http://${registry}/v2/${REPO}/manifests/${digest}`, {
          method: 'DELETE',
          headers: { authorization: auth },
        });
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads each platform from the pushed index through docker, attestation left out', async () => {
      const sizes = await platformSizes(`${registry}/${REPO}:index-${RUN_TAG}`, (ref) =>
        fetchManifest(ref, env),
      );
      expect(sizes.map((s) => [s.platform, s.digest, s.size])).toEqual(
        platforms.map((p) => [`linux/${p.platform.architecture}`, p.digest, p.bytes]),
      );
      expect(sizes[1].size).toBeGreaterThan(700 * 1024);
    });

    it('build-push measures an image a multi-platform build pushed: its largest platform, not 0', async () => {
      const built: Built = {
        name: 'app',
        tags: [`${registry}/${REPO}:index-${RUN_TAG}`],
        imageId: '',
        digest: indexDigest,
        size: 0,
        layers: 0,
        buildMs: 0,
        pushedByBuild: true,
      };
      const platform = new MemoryPlatform();
      const c = { platform, dockerEnv: env } as unknown as Ctx;
      await measure([built], c);
      expect(built.size).toBe(platforms[1].bytes);
      expect(built.layers).toBe(1);
      expect(platform.text()).toMatch(
        /app: pushed, compressed size per platform: linux\/amd64 .*, linux\/arm64 /,
      );
    });
  },
);
