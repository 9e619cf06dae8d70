import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputsFrom } from '../../../src/core/inputs.js';
import { execute } from '../../../src/core/run.js';
import { step } from '../../../src/lint/step.js';
import { MemoryPlatform } from '../../../src/platform/memory.js';
import { check, FIXTURES, hits } from './helpers.js';
import { createRequire } from 'node:module';
import Ajv from 'ajv';

function sarifValidator() {
  const require = createRequire(import.meta.url);
  const ajv = new Ajv({ schemaId: 'id', meta: false, allErrors: true, format: 'full' });
  ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json') as object);
  const schema = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  return ajv.compile(JSON.parse(readFileSync(schema, 'utf8')) as object);
}

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'lb-stack');

describe('the example stack: 0 findings in both variants', () => {
  it('nginx (compose.yml) and HAProxy (compose.yml + compose.haproxy.yml)', () => {
    expect(hits(check(EXAMPLE))).toEqual([]);
    expect(hits(check(EXAMPLE, {}, {}, ['compose.yml', 'compose.haproxy.yml']))).toEqual([]);
  });
});

describe('lint step with stack', () => {
  let dir: string;
  const cwd = process.cwd();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sklintstack-step-'));
    cpSync(join(FIXTURES, 'SK2001', 'bad'), dir, { recursive: true });
    process.chdir(dir);
  });
  afterAll(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });
  async function run(inputs: Record<string, string>) {
    const platform = new MemoryPlatform(false);
    const code = await execute(step, inputsFrom({ shellcheck: 'false', ...inputs }), platform);
    return { code, platform };
  }

  it('auto: a directory with a compose file gets SK findings beside DL ones, annotated like them', async () => {
    const { code, platform } = await run({ format: 'json' });
    expect(code).toBe(1);
    const out = JSON.parse(platform.outputs.get('results') ?? '[]') as {
      code: string;
      file: string;
      line: number;
    }[];
    expect(out.filter((f) => f.code.startsWith('SK')).map((f) => [f.code, f.file, f.line])).toEqual([
      ['SK2001', 'lb/nginx.conf', 7],
    ]);
    // the Dockerfiles were linted by the DL rules too (clean here)
    expect(platform.outputs.get('files')?.split('\n')).toEqual(['app/Dockerfile', 'lb/Dockerfile']);
    const a = platform.lines.find((l) => l.annotation?.title === 'SK2001');
    expect(a?.annotation).toMatchObject({ file: 'lb/nginx.conf', line: 7 });
    expect(a?.level).toBe('warning');
  });
  it('auto with Dockerfile paths: hadolint only, no stack rules', async () => {
    const { platform } = await run({ dockerfile: 'lb/Dockerfile', format: 'json' });
    expect(platform.outputs.get('results')).not.toContain('SK');
  });
  it('stack=false turns them off; stack=true with Dockerfile paths checks the cwd project', async () => {
    expect((await run({ stack: 'false', format: 'json' })).platform.outputs.get('results')).not.toContain(
      'SK',
    );
    const { platform } = await run({ stack: 'true', dockerfile: 'lb/Dockerfile', format: 'json' });
    expect(platform.outputs.get('results')).toContain('"code":"SK2001"');
  });
  it('--ignore, overrides and the config file apply to SK codes', async () => {
    expect((await run({ ignore: 'SK2001', format: 'json' })).platform.outputs.get('results')).not.toContain(
      'SK2001',
    );
    writeFileSync(join(dir, '.hadolint.yaml'), 'override:\n  error:\n    - SK2001\nignored:\n  - DL3006\n');
    const { platform } = await run({ format: 'json' });
    const out = JSON.parse(platform.outputs.get('results') ?? '[]') as { code: string; level: string }[];
    expect(out.find((f) => f.code === 'SK2001')?.level).toBe('error');
    rmSync(join(dir, '.hadolint.yaml'));
  });
  it('SARIF: the SK rule links to its docs page; checkstyle and GitLab Code Quality carry it', async () => {
    const outFile = join(dir, 'out.sarif');
    const cs = join(dir, 'out.xml');
    const cq = join(dir, 'cq.json');
    await run({ format: 'sarif\ncheckstyle\ngitlab_codeclimate', 'output-file': `${outFile}\n${cs}\n${cq}` });
    const sarif = JSON.parse(readFileSync(outFile, 'utf8')) as {
      runs: {
        tool: { driver: { rules: { id: string; helpUri?: string }[] } };
        results: {
          ruleId: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
        }[];
      }[];
    };
    const rule = sarif.runs[0].tool.driver.rules.find((r) => r.id === 'SK2001');
    expect(rule?.helpUri).toMatch(/docs\/rules\/SK2001\.md$/);
    const res = sarif.runs[0].results.find((r) => r.ruleId === 'SK2001');
    expect(res?.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'lb/nginx.conf' },
      region: { startLine: 7 },
    });
    expect(readFileSync(cs, 'utf8')).toContain('<file name="lb/nginx.conf"><error column="1" line="7"');
    // valid SARIF 2.1.0 (the schema Microsoft's SARIF SDK ships), as for DL findings
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const q = JSON.parse(readFileSync(cq, 'utf8')) as {
      check_name: string;
      location: { path: string; lines: { begin: number } };
    }[];
    expect(q.find((x) => x.check_name === 'SK2001')?.location).toMatchObject({
      path: 'lb/nginx.conf',
      lines: { begin: 7 },
    });
  });
  it('bad input values are refused naming the input', async () => {
    const r = await run({ stack: 'maybe' });
    expect(r.code).toBe(2);
    expect(r.platform.lines.map((l) => l.message).join('\n')).toMatch(/input "stack".*unknown value "maybe"/);
    expect((await run({ 'cert-expiry-days': '1e3' })).code).toBe(2);
    const none = mkdtempSync(join(tmpdir(), 'sklintstack-none-'));
    writeFileSync(join(none, 'Dockerfile'), 'FROM debian:12\n');
    const r2 = await run({ stack: 'true', dockerfile: none });
    rmSync(none, { recursive: true });
    expect(r2.code).toBe(2);
  });
});
