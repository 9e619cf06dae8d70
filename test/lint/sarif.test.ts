import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/core/run.js';
import { inputsFrom } from '../../src/core/inputs.js';
import { MemoryPlatform } from '../../src/platform/memory.js';
import { step } from '../../src/lint/step.js';
import { render, type FileResult } from '../../src/lint/formats/index.js';
import { SARIF_CATEGORY } from '../../src/lint/formats/sarif.js';
import { lintText } from '../../src/lint/lint.js';
import { DEFAULT_CONFIG } from '../../src/lint/config.js';
import { tempDir } from '../helpers/tmp.js';

// The SARIF 2.1.0 JSON schema (draft-04) as Microsoft's SARIF SDK ships it in
// @microsoft/jest-sarif (MIT); validated with Ajv 6, which speaks draft-04.
const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const draft04 = require('ajv/lib/refs/json-schema-draft-04.json') as object;

function validator() {
  const ajv = new Ajv({ schemaId: 'id', meta: false, allErrors: true, format: 'full' });
  ajv.addMetaSchema(draft04);
  return ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
}
const validate = validator();
const errors = () => (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message}`);

interface Sarif {
  runs: {
    tool: { driver: { name: string; version: string; rules: { id: string; helpUri?: string }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    }[];
  }[];
}

const o = { noColor: true, version: '2.15.1-shipkit', cwd: '/repo' };
const dockerfile = 'FROM debian\nRUN cd /x && apt-get install curl\nRUN echo $HOME\nMAINTAINER me\n';
const real: FileResult[] = [
  { file: 'Dockerfile', findings: lintText(dockerfile, DEFAULT_CONFIG) },
  {
    file: 'svc/Dockerfile',
    findings: [{ code: 'SC2086', severity: 'info', message: 'Double quote to prevent globbing and word splitting.', line: 3, column: 1 }], // prettier-ignore
  },
  {
    file: 'bad/Dockerfile',
    findings: [{ code: 'DL1000', severity: 'error', message: 'unexpected x', line: 2, column: 5 }],
    parseError: true,
  },
  { file: 'clean/Dockerfile', findings: [] },
];

describe('SARIF that code scanning accepts', () => {
  it('the validator rejects what the schema forbids (so a pass means something)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [] })).toBe(true);
  });

  it('lint output is valid SARIF 2.1.0', () => {
    const doc = JSON.parse(render('sarif', real, o)) as Sarif;
    expect(validate(doc), errors().join('\n')).toBe(true);
    expect(doc.runs[0].results.length).toBeGreaterThanOrEqual(5);
  });

  it('an empty run is valid SARIF too', () => {
    expect(validate(JSON.parse(render('sarif', [{ file: 'Dockerfile', findings: [] }], o))), errors().join('\n')).toBe(true); // prettier-ignore
  });

  it('the tool is shipkit, with hadolint rule ids and help links', () => {
    const run = (JSON.parse(render('sarif', real, o)) as Sarif).runs[0];
    expect(run.tool.driver.name).toBe('shipkit');
    expect(run.tool.driver.version).toBe('2.15.1-shipkit');
    const rules = Object.fromEntries(run.tool.driver.rules.map((r) => [r.id, r.helpUri]));
    expect(rules).toMatchObject({
      DL3006: 'https://github.com/hadolint/hadolint/wiki/DL3006',
      DL3003: 'https://github.com/hadolint/hadolint/wiki/DL3003',
      SC2086: 'https://www.shellcheck.net/wiki/SC2086',
    });
    expect(rules.DL1000).toBeUndefined();
    // one rule per id, and every result points at its own rule
    expect(new Set(run.tool.driver.rules.map((r) => r.id)).size).toBe(run.tool.driver.rules.length);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(run.results.map((r) => r.level)).toContain('note');
  });

  it('paths become relative URIs; hostile and absolute names stay valid', () => {
    const hostile: FileResult[] = [
      { file: '::warning title=X::a.Dockerfile', findings: [{ code: 'DL3006', severity: 'warning', message: 'm', line: 1, column: 1 }] }, // prettier-ignore
      { file: 'my dir/Dockerfile', findings: [{ code: 'DL3006', severity: 'warning', message: 'm', line: 1, column: 1 }] }, // prettier-ignore
      { file: '/repo/sub/Dockerfile', findings: [{ code: 'DL3006', severity: 'warning', message: 'm', line: 1, column: 1 }] }, // prettier-ignore
      { file: '/elsewhere/Dockerfile', findings: [{ code: 'DL3006', severity: 'warning', message: 'm', line: 1, column: 1 }] }, // prettier-ignore
    ];
    const doc = JSON.parse(render('sarif', hostile, o)) as Sarif;
    expect(validate(doc), errors().join('\n')).toBe(true);
    expect(doc.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri)).toEqual([
      '%3A%3Awarning%20title%3DX%3A%3Aa.Dockerfile',
      'my%20dir/Dockerfile',
      'sub/Dockerfile',
      'file:///elsewhere/Dockerfile',
    ]);
  });
});

interface Step {
  uses?: string;
  if?: string;
  with?: Record<string, string>;
}

describe('shipkit-ci.yml uploads the lint SARIF to code scanning', () => {
  const wf = parse(readFileSync('.github/workflows/shipkit-ci.yml', 'utf8')) as {
    jobs: { lint: { permissions: Record<string, string>; steps: Step[] } };
  };
  const job = wf.jobs.lint;
  const lint = job.steps.find((x) => x.uses?.includes('/actions/lint@')) as Step;
  const upload = job.steps.find((x) => x.uses?.startsWith('github/codeql-action/upload-sarif@')) as Step;

  it('uploads under a stable category, with the permission it needs, also after a failed lint', () => {
    expect(upload).toBeDefined();
    expect(upload.with?.category).toBe(SARIF_CATEGORY);
    expect(job.permissions['security-events']).toBe('write');
    expect(upload.if).toContain(`hashFiles('${upload.with?.sarif_file}')`);
    expect(upload.if).toContain('!cancelled()');
  });

  it("the lint step, run with the workflow's own inputs, writes valid SARIF where the upload reads it", async () => {
    const dir = tempDir('sklint-sarif-');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian\nRUN cd /x\n');
    const given = lint.with ?? {};
    const outputs = given['output-file'].split('\n').map((f) => (f === '-' ? f : join(dir, f)));
    const platform = new MemoryPlatform(false);
    const code = await execute(
      step,
      inputsFrom({ ...given, dockerfile: dir, 'output-file': outputs.join('\n'), shellcheck: 'false' }),
      platform,
    );
    expect(code).toBe(1); // findings fail the step; the upload still runs (hashFiles sees the file)
    const written = join(dir, upload.with?.sarif_file ?? '');
    expect(platform.outputs.get('reports')).toBe(written);
    const doc = JSON.parse(readFileSync(written, 'utf8')) as Sarif;
    expect(validate(doc), errors().join('\n')).toBe(true);
    expect(doc.runs[0].results.map((r) => r.ruleId)).toEqual(['DL3006', 'DL3003']);
    // the tty report still reaches the log
    expect(platform.lines.some((l) => /Dockerfile:2 DL3003 warning/.test(l.message))).toBe(true);
  });
});
