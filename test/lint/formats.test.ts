import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { render, type FileResult } from '../../src/lint/formats/index.js';

const results: FileResult[] = [
  {
    file: 'Dockerfile',
    findings: [
      {
        code: 'DL3006',
        severity: 'warning',
        message: 'Always tag the version of an image explicitly',
        line: 1,
        column: 1,
      },
      {
        code: 'SC2086',
        severity: 'info',
        message: 'Double quote to prevent globbing and word splitting.',
        line: 3,
        column: 1,
      },
    ],
  },
  {
    file: 'bad/Dockerfile',
    findings: [{ code: 'DL1000', severity: 'error', message: 'unexpected x', line: 2, column: 5 }],
    parseError: true,
  },
  { file: 'clean/Dockerfile', findings: [] },
];
const o = { noColor: true, version: 'test' };

describe('formats', () => {
  it('tty, with the parse-error form', () => {
    expect(render('tty', results, o)).toBe(
      'Dockerfile:1 DL3006 warning: Always tag the version of an image explicitly\n' +
        'Dockerfile:3 SC2086 info: Double quote to prevent globbing and word splitting.\n' +
        'bad/Dockerfile:2:5 unexpected x\n',
    );
    expect(render('tty', results, { ...o, noColor: false })).toContain('\x1b[1;33mwarning\x1b[0m');
  });
  it('gnu', () => {
    expect(render('gnu', results, o).split('\n')[0]).toBe(
      'hadolint:Dockerfile:1: DL3006 warning: Always tag the version of an image explicitly',
    );
  });
  it("json: hadolint's exact shape, keys sorted, [] when clean", () => {
    const text = render('json', results, o);
    expect(
      text.startsWith(
        '[{"code":"DL3006","column":1,"file":"Dockerfile","level":"warning","line":1,"message":',
      ),
    ).toBe(true);
    expect((JSON.parse(text) as unknown[])[2]).toEqual({
      code: 'DL1000',
      column: 5,
      file: 'bad/Dockerfile',
      level: 'error',
      line: 2,
      message: 'unexpected x',
    });
    expect(render('json', [results[2]], o)).toBe('[]\n');
  });
  it('codeclimate: NUL-terminated objects; file-path-in-report replaces the path', () => {
    const parts = render('codeclimate', results, { ...o, filePathInReport: 'X' }).split('\0');
    expect(parts).toHaveLength(4);
    expect(JSON.parse(parts[0])).toEqual({
      categories: ['Bug Risk'], check_name: 'DL3006', description: 'Always tag the version of an image explicitly',
      location: { lines: { begin: 1, end: 1 }, path: 'X' }, severity: 'major', type: 'issue',
    }); // prettier-ignore
    expect((JSON.parse(parts[2]) as { location: unknown }).location).toEqual({
      path: 'X',
      positions: { begin: { column: 5, line: 2 }, end: { column: 5, line: 2 } },
    });
  });
  it('gitlab_codeclimate: array with sha1 fingerprint of the key-sorted issue', () => {
    const [issue] = JSON.parse(render('gitlab_codeclimate', results, o)) as Record<string, unknown>[];
    const { fingerprint, ...rest } = issue;
    expect(fingerprint).toBe(createHash('sha1').update(JSON.stringify(rest)).digest('hex'));
    expect(Object.keys(issue)).toEqual([...Object.keys(issue)].sort());
    expect(issue.severity).toBe('major');
  });
  it('checkstyle: empty <file/> for a clean file, escaped messages', () => {
    const text = render('checkstyle', results, o);
    expect(text).toContain(
      '<checkstyle version="4.3"><file name="Dockerfile"><error column="1" line="1" message="Always tag the version of an image explicitly" severity="warning" source="DL3006"/>',
    );
    expect(text).toContain('<file name="clean/Dockerfile"/>');
  });
  it('junit: a testsuite per file, a testcase per finding', () => {
    const text = render('junit', results, o);
    expect(text).toContain('<testsuite name="Dockerfile" tests="2" failures="2" errors="0">');
    expect(text).toContain(
      'id="hadolint.rule.DL3006"><failure type="warning" message="Always tag the version of an image explicitly" id="DL3006">',
    );
  });
  it('sarif 2.1.0 for GitHub code scanning', () => {
    const s = JSON.parse(render('sarif', results, o)) as {
      version: string;
      runs: {
        tool: { driver: { name: string } };
        results: { level: string; locations: { physicalLocation: { region: unknown } }[] }[];
      }[];
    };
    expect(s.version).toBe('2.1.0');
    expect(s.runs[0].tool.driver.name).toBe('shipkit');
    expect(s.runs[0].results.map((r: { level: string }) => r.level)).toEqual(['warning', 'note', 'error']);
    expect(s.runs[0].results[1].locations[0].physicalLocation.region).toEqual({
      startLine: 3, startColumn: 1, sourceLanguage: 'sh',
    }); // prettier-ignore
  });
  it('sonarqube and codacy', () => {
    const sq = JSON.parse(render('sonarqube', results, o)) as { issues: unknown[] };
    expect(sq.issues[2]).toMatchObject({ ruleId: 'DL1000', severity: 'CRITICAL', type: 'BUG' });
    expect(render('codacy', [results[0]], o)).toMatch(
      /^\{"filename":"Dockerfile","patternId":"DL3006",.*\}\{/,
    );
  });
});

describe('user text never starts a log line as a workflow command (issue 12 item 3, lint part)', () => {
  const f = { code: 'DL3006', severity: 'warning' as const, message: 'Always tag the version of an image explicitly', line: 1, column: 1 }; // prettier-ignore
  const hostile: FileResult[] = [
    { file: '::warning title=X::a.Dockerfile', findings: [f] },
    { file: '  ::add-mask::b.Dockerfile', findings: [f] },
    {
      file: 'c\n::stop-commands::x.Dockerfile',
      findings: [{ ...f, message: 'Label `a\n::warning::x` is missing.' }],
    },
    { file: '::error::bad.Dockerfile', findings: [{ ...f, code: 'DL1000', severity: 'error', message: 'unexpected\n::error::y', line: 2, column: 3 }], parseError: true }, // prettier-ignore
  ];
  const formats = ['tty', 'gnu', 'json', 'checkstyle', 'codeclimate', 'gitlab_codeclimate', 'codacy', 'sonarqube', 'sarif', 'junit'] as const; // prettier-ignore

  it.each(formats)('%s: no line starts with ::', (format) => {
    const text = render(format, hostile, { noColor: false, version: 't', cwd: '/' });
    const bad = text.split(/\r?\n|\0/).filter((l) => l.trimStart().startsWith('::'));
    expect(bad).toEqual([]);
  });

  it('tty still names each file, one line per finding', () => {
    expect(render('tty', hostile, { noColor: true, version: 't' }).split('\n')).toEqual([
      './::warning title=X::a.Dockerfile:1 DL3006 warning: Always tag the version of an image explicitly',
      './  ::add-mask::b.Dockerfile:1 DL3006 warning: Always tag the version of an image explicitly',
      'c\\x0a::stop-commands::x.Dockerfile:1 DL3006 warning: Label `a ::warning::x` is missing.',
      './::error::bad.Dockerfile:2:3 unexpected ::error::y',
      '',
    ]);
  });

  it('ordinary names are printed as hadolint prints them', () => {
    expect(render('tty', [{ file: 'sub/Dockerfile', findings: [f] }], { noColor: true, version: 't' })).toBe(
      'sub/Dockerfile:1 DL3006 warning: Always tag the version of an image explicitly\n',
    );
  });
});
