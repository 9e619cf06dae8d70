import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostFacts, missingDocker } from '../helpers/host.js';
import { buildRuntimeImage, cliBundle, packageVersion, runtimeImageRef } from '../helpers/runtime-image.js';
import { registryTags, rmi } from '../build-push/helpers.js';

/**
 * The runtime image (root Dockerfile), built the way CI and the release build it: with shipkit's own
 * build-push, on the local base image (Debian bookworm with nodejs; the default base is
 * node:22-alpine, which cannot be pulled here), pushed to the local registry.
 */
const root = join(import.meta.dirname, '..', '..');
const skip = missingDocker();
const run = (image: string, ...cmd: string[]) =>
  spawnSync('docker', ['run', '--rm', image, ...cmd], { encoding: 'utf8' });

describe.skipIf(skip)(`runtime image${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipkit-image-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("passes shipkit's own lint (hadolint rules and ShellCheck on its RUN lines)", () => {
    const r = spawnSync(process.execPath, [cliBundle, 'lint', 'Dockerfile'], { cwd: root, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it("builds and pushes with shipkit's own meta (tags, OCI labels) and build-push", () => {
    const out = buildRuntimeImage({ push: true });
    expect(out).toContain(`pushed ${runtimeImageRef()}`);
  }, 600_000);

  it('is in the registry under its version tag', async () => {
    const repo = runtimeImageRef()
      .split('/')
      .slice(1)
      .join('/')
      .replace(/:[^:]+$/, '');
    expect(await registryTags(repo)).toContain(packageVersion);
  });

  it('runs `shipkit --version` as a non-root user, with the docker CLI, compose, ShellCheck and git', () => {
    const image = runtimeImageRef();
    expect(run(image, 'shipkit', '--version').stdout.trim()).toBe(`shipkit ${packageVersion}`);
    expect(run(image, 'id', '-u').stdout.trim()).not.toBe('0');
    const tools = run(
      image,
      'sh',
      '-c',
      'docker --version && { docker compose version 2>/dev/null || docker-compose version --short; } && shellcheck --version && git --version',
    );
    expect(tools.status, tools.stderr).toBe(0);
    expect(tools.stdout).toMatch(/Docker version/);
    expect(tools.stdout).toMatch(/ShellCheck/);
    expect(tools.stdout).toMatch(/git version/);
  });

  it('lints a Dockerfile inside the container (ShellCheck included) and exits 1 on findings', () => {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:latest\nRUN cd /tmp && echo $1\n');
    // mkdtemp makes a 0700 folder; the image's user is not its owner, as in a real checkout mount.
    chmodSync(dir, 0o755);
    const r = spawnSync(
      'docker',
      [
        'run',
        '--rm',
        '-v',
        `${dir}:/src:ro`,
        '-w',
        '/src',
        runtimeImageRef(),
        'shipkit',
        'lint',
        'Dockerfile',
      ],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Dockerfile:1 DL3007/);
    expect(r.stdout).toMatch(/Dockerfile:2 SC2086/);
  });

  it('carries the version in its OCI label, as scripts/release-check verifies', () => {
    const r = spawnSync(join(root, 'scripts', 'release-check'), ['--image', runtimeImageRef()], {
      encoding: 'utf8',
    });
    expect(r.stdout + r.stderr).toContain('agrees everywhere');
    expect(r.status).toBe(0);
    const labels = JSON.parse(
      execFileSync('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', runtimeImageRef()], {
        encoding: 'utf8',
      }),
    ) as Record<string, string>;
    expect(labels['org.opencontainers.image.base.name']).toBe(hostFacts()!.baseImage);
    // From meta (the Git checkout's commit), not only the Dockerfile's defaults.
    expect(labels['org.opencontainers.image.revision']).toBe(
      execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(),
    );
    expect(labels['org.opencontainers.image.title']).toBe('shipkit');
    expect(labels['org.opencontainers.image.source']).toBe('https://github.com/shipkit-dev/shipkit');
  });

  it('fails with one line naming BASE_IMAGE when the base image does not exist', () => {
    const tag = `${hostFacts()!.registry}/shipkit-itg/shipkit:nobase`;
    const r = spawnSync(
      process.execPath,
      [
        cliBundle,
        'build-push',
        '--context',
        root,
        '--build-args',
        'BASE_IMAGE=shipkit-itg/no-such-base:1',
        '--tags',
        tag,
        '--push',
        'false',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    rmi(tag);
    expect(r.status).toBe(1);
    const errors = (r.stdout + r.stderr).split('\n').filter((l) => /^error/.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /base image not found \(build argument BASE_IMAGE=shipkit-itg\/no-such-base:1\)/,
    );
  });
});
