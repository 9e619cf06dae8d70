import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig } from '../../src/lint/config.js';
import { lintText } from '../../src/lint/lint.js';
import { linesOf, type Case } from './helpers.js';

const schema = { labelSchema: { version: 'semver', url: 'url', created: 'rfc3339', rev: 'hash', lic: 'spdx', mail: 'email', owner: 'text' } } as const; // prettier-ignore
const F = 'FROM a:1\n';
const cases: Case[] = [
  [
    'DL3049',
    'missing label at FROM',
    F + 'LABEL owner=me\n',
    [1],
    { labelSchema: { owner: 'text', team: 'text' } },
  ],
  ['DL3049', 'all present', F + 'LABEL owner=me\n', [], { labelSchema: { owner: 'text' } }],
  [
    'DL3049',
    'inherited from alias',
    'FROM a:1 AS b\nLABEL owner=me\nFROM b\n',
    [],
    { labelSchema: { owner: 'text' } },
  ],
  [
    'DL3049',
    'copy-only stage silent',
    'FROM a:1 AS b\nFROM c:1\nLABEL owner=me\nCOPY --from=b /x /y\n',
    [],
    { labelSchema: { owner: 'text' } },
  ],
  ['DL3049', 'no schema: nothing', F, []],
  [
    'DL3050',
    'strict labels',
    F + 'LABEL owner=me extra=1\n',
    [2],
    { labelSchema: { owner: 'text' }, strictLabels: true },
  ],
  ['DL3050', 'not strict', F + 'LABEL owner=me extra=1\n', [], { labelSchema: { owner: 'text' } }],
  ['DL3051', 'empty', F + 'LABEL owner=""\n', [2], schema],
  ['DL3052', 'bad url', F + 'LABEL url="not a url"\n', [2], schema],
  ['DL3052', 'good url', F + 'LABEL url=https://x.org/a\n', [], schema],
  ['DL3053', 'bad time', F + 'LABEL created=yesterday\n', [2], schema],
  ['DL3053', 'good time', F + 'LABEL created=2024-01-02T03:04:05Z\n', [], schema],
  ['DL3054', 'bad spdx', F + 'LABEL lic=Nope-1\n', [2], schema],
  ['DL3054', 'good spdx', F + 'LABEL lic=MIT\n', [], schema],
  ['DL3055', 'bad hash', F + 'LABEL rev=xyz\n', [2], schema],
  ['DL3055', 'short hash', F + 'LABEL rev=abc1234\n', [], schema],
  ['DL3056', 'bad semver', F + 'LABEL version=1.0\n', [2], schema],
  ['DL3056', 'good semver', F + 'LABEL version=1.0.0-rc.1\n', [], schema],
  ['DL3058', 'bad email', F + 'LABEL mail=nobody\n', [2], schema],
  ['DL3058', 'good email', F + 'LABEL mail=a@b.org\n', [], schema],
  ['DL3057', 'off by default', F, []],
  ['DL3057', 'turned on', F + 'RUN x\n', [1], { override: { info: ['DL3057'] } }],
  ['DL3057', 'HEALTHCHECK NONE counts', F + 'HEALTHCHECK NONE\n', [], { override: { info: ['DL3057'] } }],
  [
    'DL3057',
    'inherited',
    'FROM a:1 AS b\nHEALTHCHECK NONE\nFROM b\n',
    [],
    { override: { info: ['DL3057'] } },
  ],
  ['DL1001', 'off by default', F + '# hadolint ignore=DL3003\nRUN cd x\n', []],
  [
    'DL1001',
    'turned on',
    F + '# hadolint ignore=DL3003\nRUN cd x\n',
    [2],
    { override: { style: ['DL1001'] } },
  ],
  // pragmas
  ['DL3003', 'inline ignore', F + '# hadolint ignore=DL3003\nRUN cd x\n', []],
  [
    'DL3003',
    'inline ignore with spaces and comment',
    F + '# hadolint ignore = DL3003 , DL3059 # why\nRUN cd x\n',
    [],
  ],
  ['DL3003', 'only the next line', F + '# hadolint ignore=DL3003\n\nRUN cd x\n', [4]],
  [
    'DL3003',
    'stacked pragmas do not combine',
    F + '# hadolint ignore=DL3003\n# hadolint ignore=DL3059\nRUN cd x\n',
    [4],
  ],
  ['DL3003', 'bad pragma ignores nothing', F + '# hadolint ignore=crazy,DL3003\nRUN cd x\n', [3]],
  ['DL3003', 'global ignore anywhere', F + 'RUN cd x\n# hadolint global ignore=DL3003\n', []],
  [
    'DL3003',
    'disable-ignore-pragma',
    F + '# hadolint ignore=DL3003\nRUN cd x\n',
    [3],
    { disableIgnorePragma: true },
  ],
  ['DL3003', 'stage ignore', '# hadolint stage ignore=DL3003\nFROM a:1\nRUN cd x\nFROM b:1\nRUN cd y\n', [5]],
  [
    'DL3006',
    'stage ignore covers next FROM (quirk)',
    '# hadolint stage ignore=DL3006\nFROM a\nRUN x\nFROM b\n',
    [2],
  ],
  ['DL3003', 'ignored list', F + 'RUN cd x\n', [], { ignored: ['DL3003'] }],
  // ONBUILD semantics
  ['DL3008', 'ONBUILD apt-get', F + 'ONBUILD RUN apt-get install -y curl\n', [2]],
  ['DL3003', 'cd is not ONBUILD-aware', F + 'ONBUILD RUN cd /x\n', []],
  ['DL4006', 'DL4006 is not ONBUILD-aware', F + 'ONBUILD RUN a | b\n', []],
];

describe('labels, pragmas, ONBUILD (table)', () => {
  it.each(cases)('%s %s', (code, _name, dockerfile, lines, config) => {
    expect(linesOf(code, dockerfile, config)).toEqual(lines);
  });
});

describe('severities and overrides', () => {
  const cfg = (o: object) => mergeConfig(DEFAULT_CONFIG, o);
  it('messages with the label substituted', () => {
    const f = lintText('FROM a:1\nLABEL version=x owner=\n', cfg(schema));
    expect(f.map((x) => [x.code, x.severity, x.message])).toEqual(
      expect.arrayContaining([
        ['DL3051', 'warning', 'label `owner` is empty.'],
        ['DL3056', 'warning', 'Label `version` does not conform to semantic versioning.'],
        ['DL3049', 'info', 'Label `url` is missing.'],
      ]),
    );
  });
  it('error override wins over the others', () => {
    const f = lintText(
      'FROM a\n',
      cfg({ override: { style: ['DL3006'], error: ['DL3006'], info: ['DL3006'] } }),
    );
    expect(f).toEqual([expect.objectContaining({ code: 'DL3006', severity: 'error' })]);
  });
  it('parse error is one DL1000 with line and column, no rules', () => {
    const f = lintText('FROM a\nBOGUS x\n', DEFAULT_CONFIG);
    expect(f).toEqual([expect.objectContaining({ code: 'DL1000', severity: 'error', line: 2, column: 1 })]);
  });
  it('sorts by line', () => {
    const lines = lintText('FROM a\nRUN cd x\nMAINTAINER me\n', DEFAULT_CONFIG).map((x) => x.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});
