import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingCommand } from '../helpers/host.js';
import { packageVersion } from '../helpers/runtime-image.js';

/**
 * The npm package as users get it: `npm pack`, then an install of the tarball into an empty folder
 * with the registry pointed at a closed port (so any dependency it tried to fetch would fail), then
 * the installed `shipkit` binary on a Dockerfile and a Git checkout.
 */
const root = join(import.meta.dirname, '..', '..');
const skip = missingCommand('shellcheck');
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    },
  });

describe.skipIf(skip)(`npm package${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipkit-pack-'));
  const app = join(dir, 'app');
  const bin = join(app, 'node_modules', '.bin', 'shipkit');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('packs the CLI bundle, README, LICENSE and CHANGELOG, with no runtime dependencies', () => {
    const [info] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], root)) as {
      filename: string;
      files: { path: string }[];
    }[];
    const paths = info.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/cli/index.js']),
    );
    expect(
      paths.filter(
        (p) => !/^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/cli\/[\w.-]+\.js(\.map)?)$/.test(p),
      ),
    ).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.private).toBeUndefined();
    expect(pkg.name).toMatch(/^@[\w-]+\/shipkit$/);
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.bin).toEqual({ shipkit: 'dist/cli/index.js' });
  });

  it('installs from the tarball with no registry access', () => {
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name":"app","private":true}');
    npm(['install', '--offline', '--no-package-lock', join(dir, tarball)], app);
    // Nothing but shipkit itself was installed (no dependency could have come from anywhere).
    expect(readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual([
      '@shipkit-dev',
    ]);
  }, 120_000);

  it('runs shipkit --version, lint and meta from there', () => {
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toBe(`shipkit ${packageVersion}`);

    writeFileSync(join(app, 'Dockerfile'), 'FROM debian:latest\nRUN echo $1\n');
    const lint = spawnSync(bin, ['lint', 'Dockerfile'], { cwd: app, encoding: 'utf8' });
    expect(lint.status).toBe(1);
    expect(lint.stdout).toMatch(/Dockerfile:1 DL3007/);
    expect(lint.stdout).toMatch(/Dockerfile:2 SC2086/);

    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: app });
    execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'x'],
      { cwd: app },
    );
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(GITHUB_|GITLAB_|CI)/.test(k)),
    );
    const meta = spawnSync(
      bin,
      ['meta', '--context', 'git', '--images', 'ghcr.io/acme/app', '--tags', 'type=ref,event=branch'],
      {
        cwd: app,
        encoding: 'utf8',
        // meta's bake files are outputs a later command reads (as docker/metadata-action's): they stay in
        // the temp dir, here the test's own.
        env: { ...env, TMPDIR: dir },
      },
    );
    expect(meta.status, meta.stderr).toBe(0);
    expect(meta.stdout).toContain('ghcr.io/acme/app:main');
  });
});
