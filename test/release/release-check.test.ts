import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyOfProject, RELEASE_CHECK_READS, root } from './project-copy.js';

const script = join(root, 'scripts', 'release-check');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

function run(args: string[]) {
  const r = spawnSync(script, args, { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** A copy of what release-check reads, to break one thing at a time. */
const copy = () => copyOfProject([...RELEASE_CHECK_READS, '.github'], 'shipkit-release-');

describe('scripts/release-check', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const broken = (edit: (dir: string) => void) => {
    const dir = copy();
    dirs.push(dir);
    edit(dir);
    return run(['--root', dir]);
  };

  it('passes on this checkout, and with the tag of this version', () => {
    const r = run(['--tag', `v${version}`]);
    expect(r.out).toContain(`version ${version} agrees everywhere`);
    expect(r.code).toBe(0);
  });

  it('fails a release tag that disagrees with package.json, naming both values', () => {
    const r = run(['--tag', 'v9.8.7']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`release tag v9.8.7 names version 9.8.7, but package.json says ${version}`);
  });

  it('finds a reference to another major version, with file and line', () => {
    const r = broken((dir) => {
      const file = join(dir, 'pipelines', 'gitlab', '.gitlab-ci.yml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('shipkit/lint@v1', 'shipkit/lint@v7'));
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/pipelines\/gitlab\/\.gitlab-ci\.yml:\d+: .*shipkit\/lint@v7 refers to major 7/);
  });

  it('finds a version that was bumped in package.json only', () => {
    const r = broken((dir) => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, version: '1.4.0' }));
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`src/version.ts: VERSION is ${version}, package.json says 1.4.0`);
    expect(r.out).toContain(`--version prints "shipkit ${version}", package.json says 1.4.0`);
    expect(r.out).toContain(`Dockerfile: ARG VERSION=${version}, package.json says 1.4.0`);
    expect(r.out).toContain('CHANGELOG.md: no "## [1.4.0]" section');
  });

  it('rejects an unknown argument with exit 2', () => {
    expect(run(['--tga', 'v1']).code).toBe(2);
  });
});
