/**
 * The BuildKit inputs on this machine's real engine: the classic builder (docker CLI 28 without
 * buildx) honours network, add-hosts, shm-size and ulimit, and refuses the BuildKit-only inputs
 * before anything is built; compose forms docker-compose v1 cannot read are named.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execute } from '../../src/core/run.js';
import { inputsFrom } from '../../src/core/inputs.js';
import { MemoryPlatform } from '../../src/platform/memory.js';
import { step } from '../../src/build-push/step.js';
import { missingDocker } from '../helpers/host.js';
import { dockerOut, facts, rmi, RUN_TAG } from './helpers.js';

const skip = missingDocker();

async function buildPush(inputs: Record<string, string>) {
  const platform = new MemoryPlatform();
  const code = await execute(step, inputsFrom({ builder: 'classic', ...inputs }), platform);
  return { code, platform };
}

describe.skipIf(skip)(`BuildKit inputs on the real engine${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const f = skip ? undefined! : facts();
  const dir = mkdtempSync(join(tmpdir(), 'skbp-bk-'));
  const tag = `skbp-itg-bk:${RUN_TAG}`;
  afterAll(() => {
    rmi(tag);
    rmSync(dir, { recursive: true, force: true });
  });

  it('classic builder: network, add-hosts, shm-size and ulimit reach the RUN steps', async () => {
    writeFileSync(
      join(dir, 'Dockerfile'),
      `FROM ${f.baseImage}\nRUN getent hosts db.skbp > /hosts && ulimit -n > /nofile && df -k /dev/shm | tail -1 > /shm\n`,
    );
    const { code, platform } = await buildPush({
      context: dir,
      tags: tag,
      push: 'false',
      network: 'none',
      'add-hosts': 'db.skbp:10.9.8.7',
      'shm-size': '96m',
      ulimit: 'nofile=1234:2345',
    });
    expect(code, platform.text()).toBe(0);
    const out = (file: string) => dockerOut(['run', '--rm', '--network', 'none', tag, 'cat', file]);
    expect(out('/hosts')).toMatch(/^10\.9\.8\.7\s+db\.skbp/);
    expect(out('/nofile')).toBe('1234');
    expect(out('/shm').split(/\s+/)[1]).toBe(String(96 * 1024));
  });

  const refused = [
    { input: 'secrets', value: 'TOKEN=hunter2-not-logged' },
    { input: 'ssh', value: 'default' },
    { input: 'sbom', value: 'true' },
    { input: 'annotations', value: 'org.opencontainers.image.title=x' },
    { input: 'cache-to', value: 'type=registry,ref=127.0.0.1:5000/skbp-cache' },
    { input: 'cache-from', value: 'type=local,src=/tmp' },
  ];
  for (const row of refused) {
    it(`classic builder + ${row.input}: exit 2 naming the input, nothing built`, async () => {
      const t = `skbp-itg-bk-refused:${RUN_TAG}`;
      const { code, platform } = await buildPush({
        context: dir,
        tags: t,
        push: 'false',
        [row.input]: row.value,
      });
      expect(code).toBe(2);
      const text = platform.text();
      expect(text).toMatch(new RegExp(`input "${row.input}": needs .*the classic builder`));
      expect(text).not.toContain('hunter2');
      expect(dockerOut(['images', '-q', t])).toBe('');
    });
  }

  it('compose mode: a form docker-compose v1 cannot read is named with file and line (v2 reads it)', async () => {
    writeFileSync(
      join(dir, 'compose.yml'),
      `services:\n  app:\n    build: .\n    image: \${REG:+\${REG}/}skbp-itg-bk:${RUN_TAG}\n`,
    );
    const { code, platform } = await buildPush({ 'compose-file': join(dir, 'compose.yml'), push: 'false' });
    if (code === 0) return; // compose v2 is installed: it substituted the form
    expect(code).toBe(2);
    expect(platform.text()).toMatch(
      /compose\.yml:4:12: services\.app\.image: \$\{REG:\+…\} .* needs Compose v2/,
    );
  });
});
