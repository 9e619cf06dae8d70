import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildxPlugins, mapLimit, pushDigest } from './engine.js';

describe('buildxPlugins: where the docker CLI would find docker-buildx, without running docker', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'skbp-plugins-'));
    dirs.push(d);
    return d;
  };
  const plugin = (dir: string, file = 'docker-buildx') => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, file), '#!/bin/sh\n', { mode: 0o755 });
    return join(dir, file);
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('finds the plugin in $DOCKER_CONFIG/cli-plugins, ahead of any system dir', () => {
    const config = tmp();
    const found = plugin(join(config, 'cli-plugins'));
    const result = buildxPlugins({ DOCKER_CONFIG: config }, '/nonexistent-home');
    expect(result[0]).toBe(found);
  });

  it('uses ~/.docker when DOCKER_CONFIG is not set', () => {
    const home = tmp();
    const found = plugin(join(home, '.docker', 'cli-plugins'));
    expect(buildxPlugins({}, home)[0]).toBe(found);
  });

  it("searches the config's cliPluginsExtraDirs first", () => {
    const config = tmp();
    const extra = join(tmp(), 'extra');
    const first = plugin(extra);
    const second = plugin(join(config, 'cli-plugins'));
    writeFileSync(join(config, 'config.json'), JSON.stringify({ cliPluginsExtraDirs: [extra, 42] }));
    expect(buildxPlugins({ DOCKER_CONFIG: config }, '/nonexistent-home').slice(0, 2)).toEqual([
      first,
      second,
    ]);
  });

  it('ignores another file name, an unreadable config and a missing dir', () => {
    const config = tmp();
    plugin(join(config, 'cli-plugins'), 'docker-compose');
    writeFileSync(join(config, 'config.json'), '{not json');
    const result = buildxPlugins({ DOCKER_CONFIG: config }, '/nonexistent-home');
    expect(result.filter((f) => f.startsWith(config))).toEqual([]);
  });

  it('on Windows: docker-buildx.exe under %ProgramData% and %ProgramFiles%', () => {
    const data = tmp();
    const found = plugin(join(data, 'Docker', 'cli-plugins'), 'docker-buildx.exe');
    plugin(join(data, 'Docker', 'cli-plugins'));
    const result = buildxPlugins({ ProgramData: data, DOCKER_CONFIG: tmp() }, '/x', 'win32');
    expect(result).toEqual([found]);
  });
});

describe('pushDigest', () => {
  it('reads the digest docker push prints for the pushed tag', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(pushDigest(`5f70bf18a086: Pushed\nt1: digest: ${digest} size: 1570\n`)).toBe(digest);
    expect(pushDigest('Everything up to date\n')).toBeUndefined();
  });
});

describe('mapLimit', () => {
  /** A call that finishes when the test says so. */
  const gate = () => {
    let open!: () => void;
    const p = new Promise<void>((r) => (open = r));
    return { p, open };
  };
  const tick = () => new Promise((r) => setImmediate(r));

  it('keeps at most `limit` calls in flight, starts the next as one ends, keeps input order', async () => {
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const run = mapLimit([0, 1, 2], 2, async (i) => {
      started.push(i);
      await gates[i].p;
      return i * 10;
    });
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1].open();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[2].open();
    gates[0].open();
    expect(await run).toEqual([0, 10, 20]);
  });

  it('lets the other items finish, then throws the first error', async () => {
    const done: number[] = [];
    await expect(
      mapLimit([1, 2, 3], 3, async (n) => {
        await tick();
        if (n === 1) throw new Error('one');
        done.push(n);
      }),
    ).rejects.toThrow('one');
    expect(done).toEqual([2, 3]);
  });
});
