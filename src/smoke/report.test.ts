import { describe, expect, it } from 'vitest';
import { renderJson, renderJunit, renderMarkdown, renderTable, failedLines } from './report.js';
import type { TargetResult } from './run.js';

const result: TargetResult = {
  name: 'lb <nginx>',
  url: 'http://127.0.0.1:8080/',
  passed: false,
  readyMs: 12,
  expectedBackends: [],
  load: {
    requests: 30,
    failures: 0,
    errorRate: 0,
    durationMs: 1500,
    rps: 20,
    p50: 3.2,
    p95: 9.9,
    p99: 40,
    max: 40,
    statuses: { '200': 30 },
    backends: { a1: 20, 'b"2': 10 },
    perBackend: {
      a1: { responses: 20, failures: 0, statuses: { '200': 20 }, p50: 3, p95: 5, max: 6 },
      'b"2': { responses: 10, failures: 3, statuses: { '200': 7, '500': 3 }, p50: 4, p95: 40, max: 40 },
    },
    unattributed: { requests: 0, failures: 0, statuses: {} },
    histogram: [
      { le: 5, count: 20 },
      { le: 10, count: 9 },
      { le: 20, count: 0 },
      { le: 50, count: 1 },
    ],
    flags: {},
  },
  checks: [
    { name: 'status', passed: true, expected: 'status 200-399', seen: '0 of 30 failed' },
    { name: 'imbalance', passed: false, expected: 'busiest/quietest ≤ 1.5', seen: '2: a1 ×20, b"2 ×10 | x' },
  ],
};

describe('report rendering', () => {
  it('job summary has a check table, a pie per backend and a latency xychart', () => {
    const md = renderMarkdown([result]).text;
    // The target's name is user text: its HTML shows as written, never as a tag.
    expect(md).toContain('### ❌ lb &lt;nginx&gt;');
    expect(md).toContain('| imbalance | **FAIL** | busiest/quietest ≤ 1.5 | 2: a1 ×20, b&quot;2 ×10 \\| x |');
    expect(md).toContain(
      '```mermaid\npie showData title Responses per backend\n    "a1" : 20\n    "b\'2" : 10\n```',
    );
    expect(md).toContain('xychart-beta');
    expect(md).toContain('x-axis ["≤5ms", "≤10ms", "≤20ms", "≤50ms"]');
    expect(md).toContain('bar [20, 9, 0, 1]');
  });

  it('JUnit has one testcase per check and escapes expected vs seen into the failure', () => {
    const xml = renderJunit([result]);
    expect(xml).toContain('<testsuites name="shipkit smoke" tests="2" failures="1">');
    expect(xml).toContain('<testsuite name="lb &lt;nginx&gt;" tests="2" failures="1" time="1.500">');
    expect(xml).toContain('<testcase classname="smoke.lb &lt;nginx&gt;" name="status"/>');
    expect(xml).toContain(
      '<failure message="expected busiest/quietest ≤ 1.5; seen 2: a1 ×20, b&quot;2 ×10 | x">',
    );
    expect(xml.match(/<testcase /g)).toHaveLength(2);
  });

  it('JSON report round-trips and keeps an infinite bucket as null', () => {
    const withInf = { ...result, load: { ...result.load, histogram: [{ le: Infinity, count: 3 }] } };
    const parsed = JSON.parse(renderJson([withInf])) as {
      passed: boolean;
      targets: { load: { histogram: unknown[] } }[];
    };
    expect(parsed.passed).toBe(false);
    expect(parsed.targets[0].load.histogram).toEqual([{ le: null, count: 3 }]);
  });

  it('log table marks failures with expected and seen; failed lines name the target', () => {
    const table = renderTable([result]);
    expect(table).toMatch(/lb <nginx>\s+FAIL\s+imbalance\s+expected busiest\/quietest ≤ 1.5; seen 2: a1/);
    expect(table).toMatch(/lb <nginx>\s+PASS\s+status\s+0 of 30 failed/);
    expect(failedLines([result])).toEqual([
      'lb <nginx>: imbalance: expected busiest/quietest ≤ 1.5; seen 2: a1 ×20, b"2 ×10 | x',
    ]);
  });
});
