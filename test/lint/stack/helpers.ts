import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { DEFAULT_CONFIG, mergeConfig, type PartialConfig } from '../../../src/lint/config.js';
import { finish } from '../../../src/lint/lint.js';
import { lintStack } from '../../../src/lint/stack/index.js';
import { defaultComposeFiles } from '../../../src/lint/stack/model.js';
import type { StackOptions } from '../../../src/lint/stack/types.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

export const OPTIONS: StackOptions = {
  certDays: 30,
  maxResolverValid: 30,
  maxFileSize: 1024 * 1024,
  now: new Date(),
};

/** A finding as tests compare them: code, file relative to the project, line. */
export type Hit = [code: string, file: string, line: number];

/** Runs the stack rules on a project folder; findings after pragmas and config, files relative to it. */
export function check(
  dir: string,
  options: Partial<StackOptions> = {},
  config: PartialConfig = {},
  files = defaultComposeFiles(dir),
) {
  const r = lintStack(dir, files, { ...OPTIONS, ...options }, {});
  const cfg = mergeConfig(DEFAULT_CONFIG, config);
  return r.files.flatMap((f) =>
    finish(f.findings, f.pragmas, cfg).map((x) => ({ ...x, file: relative(dir, f.file) })),
  );
}

export const hits = (found: { code: string; file: string; line: number }[]): Hit[] =>
  found.map((f) => [f.code, f.file, f.line]);

/** A temp project from a map of files; removed by the caller with `rmSync(dir, {recursive: true})`. */
export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sklintstack-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** A temp copy of a fixture (for tests that add certificates or break files). */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sklintstack-'));
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/**
 * A real certificate and key made by openssl: signed by a throwaway CA so the validity dates can be
 * in the past (`openssl ca -startdate/-enddate`), with the given DNS names.
 */
export function makeCert(dir: string, base: string, names: string[], start: string, end: string): void {
  const work = mkdtempSync(join(tmpdir(), 'skca-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: work, stdio: 'pipe' });
  try {
    run([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-subj',
      '/CN=test ca',
      '-days',
      '3650',
    ]);
    run([
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      's.key',
      '-out',
      's.csr',
      '-subj',
      `/CN=${names[0]}`,
      '-addext',
      `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
    ]);
    writeFileSync(join(work, 'index.txt'), '');
    writeFileSync(join(work, 'serial'), '01\n');
    writeFileSync(
      join(work, 'ca.cnf'),
      '[ca]\ndefault_ca=c\n[c]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\n[p]\ncommonName=supplied\n',
    );
    run([
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-cert',
      'ca.crt',
      '-keyfile',
      'ca.key',
      '-in',
      's.csr',
      '-out',
      's.crt',
      '-startdate',
      start,
      '-enddate',
      end,
      '-notext',
    ]);
    mkdirSync(dir, { recursive: true });
    cpSync(join(work, 's.crt'), join(dir, `${base}.crt`));
    cpSync(join(work, 's.key'), join(dir, `${base}.key`));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `YYYYMMDDHHMMSSZ`, `days` from now, as openssl ca takes it. */
export function certDate(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}
