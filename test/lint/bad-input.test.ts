import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { MAX_FILE_SIZE, readDockerfile } from '../../src/lint/run.js';
import { runLint as run } from './harness.js';
import { tempDir } from '../helpers/tmp.js';

// Issue 12 item 5: a documented size limit above which a file is refused with exit 2, at once.
const dir = tempDir('sklint-big-');
const big = join(dir, 'big.Dockerfile');
writeFileSync(big, '');
truncateSync(big, 10 * 1024 * 1024); // 10 MiB, sparse: refused on its size alone
const small = join(dir, 'Dockerfile');
writeFileSync(small, 'FROM debian:12\nRUN cd /x\n');
const noStdin = () => Promise.reject(new Error('stdin must not be read'));

describe('lint refuses files above max-file-size', () => {
  it('the default limit is 1 MiB', () => {
    expect(MAX_FILE_SIZE).toBe(1024 * 1024);
  });

  it('a 10 MiB file is a UserError naming the file, the size and the input', async () => {
    const err = await readDockerfile(big, noStdin).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/not linted: the file is 10 MiB, above the 1 MiB limit \(input "max-file-size"\)/); // prettier-ignore
    expect((err as UserError).location.file).toBe(big);
  });

  it('stdin is held to the same limit', async () => {
    const err = await readDockerfile('-', () => Promise.resolve('FROM a:1\n'.repeat(100)), 500).catch((e: unknown) => e); // prettier-ignore
    expect((err as UserError).message).toMatch(
      /not linted: the file is 900 bytes, above the 500 bytes limit/,
    );
  });

  it('the step exits 2 and lints nothing, not even the small file given with it', async () => {
    const { code, platform } = await run({ dockerfile: `${small}\n${big}` });
    expect(code).toBe(2);
    const errors = platform.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].annotation?.file).toBe(big);
    expect(platform.lines.some((l) => l.message.includes('DL3003'))).toBe(false);
    expect(platform.outputs.get('total')).toBeUndefined();
  });

  it('max-file-size raises or lowers the limit; a bad value is exit 2 naming the input', async () => {
    expect((await run({ dockerfile: small, 'max-file-size': '10B' })).code).toBe(2);
    const ok = await run({ dockerfile: small, 'max-file-size': '20MiB', 'no-fail': 'true' });
    expect(ok.code).toBe(0);
    expect(ok.platform.outputs.get('total')).toBe('1');
    const bad = await run({ dockerfile: small, 'max-file-size': '0' });
    expect(bad.code).toBe(2);
    expect(bad.platform.lines.find((l) => l.level === 'error')?.message).toMatch(/max-file-size/);
  });
});

describe('the step reports .hadolint.yaml problems', () => {
  it('a wrong type: exit 2, one line with file:line:key, nothing linted', async () => {
    const cfg = join(dir, 'bad.yaml');
    writeFileSync(cfg, 'ignored:\n  - DL3003\noverride: [DL3006]\n');
    const { code, platform } = await run({ dockerfile: small, config: cfg });
    expect(code).toBe(2);
    const errors = platform.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/override: expected a mapping/);
    expect(errors[0].annotation).toMatchObject({ file: cfg, line: 3 });
    expect(platform.outputs.get('total')).toBeUndefined();
  });
  it('an unknown key: a warning at its line naming the closest key; linting goes on', async () => {
    const cfg = join(dir, 'typo.yaml');
    writeFileSync(cfg, 'ignored: [DL3003]\nfailureThreshhold: error\n');
    const { code, platform } = await run({ dockerfile: small, config: cfg, 'no-fail': 'true' });
    expect(code).toBe(0);
    const warning = platform.lines.find(
      (l) => l.level === 'warning' && l.message.includes('failureThreshhold'),
    );
    expect(warning?.message).toBe(
      'unknown key "failureThreshhold" ignored (did you mean "failure-threshold"?)',
    );
    expect(warning?.annotation).toMatchObject({ file: cfg, line: 2 });
    expect(platform.outputs.get('total')).toBe('0'); // DL3003 ignored by the file, DL3006 not (pinned image)
  });
});
