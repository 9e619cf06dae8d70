import { safeMd, mdCode, mdFence, mdJoin, mdTable, type Markdown } from '../platform/markdown.js';
import type { TargetResult } from './run.js';
import { round } from './stats.js';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
// A Mermaid label is a quoted string on one line: no quote, backtick or line break of its own.
const label = (s: string) => s.replace(/["`\x00-\x1f\x7f]/g, (c) => (c === '"' ? "'" : ' '));

/** Fixed-width text table of the checks of every target, for the log. */
export function renderTable(results: readonly TargetResult[]): string {
  const rows = results.flatMap((r) =>
    r.checks.map((c) => [
      r.name,
      c.passed ? 'PASS' : 'FAIL',
      c.name,
      c.passed ? c.seen : `expected ${c.expected}; seen ${c.seen}`,
    ]),
  );
  const head = ['target', 'result', 'check', 'details'];
  const widths = head.map((h, i) =>
    Math.min(Math.max(h.length, ...rows.map((r) => r[i].length)), i === 3 ? 200 : 40),
  );
  const line = (r: string[]) => r.map((c, i) => (i === 3 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const counts = (c: Record<string, number>) =>
  Object.entries(c)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ');

/** The figures of one target, for the log: one line overall, then one per backend. */
export function renderFigures(r: TargetResult): string {
  const l = r.load;
  const backends = Object.entries(l.backends)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const lines = [
    `${r.name}: ${l.requests} req, ${l.failures} failed, ${round(l.rps, 0)} req/s, p50 ${round(l.p50)} ms, p95 ${round(l.p95)} ms, p99 ${round(l.p99)} ms; backends: ${backends || 'none'}`,
  ];
  for (const [name, b] of Object.entries(l.perBackend ?? {}))
    lines.push(
      `  ${name}: ${b.responses} responses, ${b.failures} failed (${counts(b.statuses)}), p50 ${round(b.p50)} ms, p95 ${round(b.p95)} ms, max ${round(b.max)} ms`,
    );
  const u = l.unattributed;
  if (u?.requests && Object.keys(l.perBackend ?? {}).length > 0)
    lines.push(`  no backend named: ${u.requests} requests, ${u.failures} failed (${counts(u.statuses)})`);
  return lines.join('\n');
}

/** GitHub job summary: a check table, then per-backend pie and latency histogram as Mermaid charts. */
export function renderMarkdown(results: readonly TargetResult[]): Markdown {
  const out: Markdown[] = [safeMd`## shipkit smoke`, safeMd``];
  for (const r of results) {
    const l = r.load;
    out.push(
      safeMd`### ${r.passed ? '✅' : '❌'} ${r.name}`,
      safeMd``,
      safeMd`${mdCode(r.url)} — ${l.requests} requests, ${l.failures} failed, ${round(l.rps, 0)} req/s, p50 ${round(l.p50)} ms · p95 ${round(l.p95)} ms · p99 ${round(l.p99)} ms`,
      safeMd``,
      mdTable(
        ['Check', 'Result', 'Expected', 'Seen'],
        r.checks.map((c) => [c.name, c.passed ? 'pass' : safeMd`**FAIL**`, c.expected, c.seen]),
      ),
      safeMd``,
    );
    const per = Object.entries(l.perBackend ?? {});
    if (per.length > 0) {
      const rows = per.map(([name, b]) => [
        mdCode(name),
        b.responses,
        b.failures > 0 ? safeMd`**${b.failures}**` : 0,
        counts(b.statuses),
        `${round(b.p50)} ms`,
        `${round(b.p95)} ms`,
        `${round(b.max)} ms`,
      ]);
      const u = l.unattributed;
      if (u?.requests)
        rows.push(['no backend named', u.requests, u.failures, counts(u.statuses), '', '', '']);
      out.push(mdTable(['Backend', 'Responses', 'Failed', 'Statuses', 'p50', 'p95', 'max'], rows), safeMd``);
    }
    const backends = Object.entries(l.backends);
    if (backends.length > 0) {
      const slices = backends.sort((a, b) => b[1] - a[1]).map(([name, n]) => `    "${label(name)}" : ${n}`);
      out.push(
        mdFence('mermaid', ['pie showData title Responses per backend', ...slices].join('\n')),
        safeMd``,
      );
    }
    if (l.histogram.length > 0) {
      const names = l.histogram.map((b) => `"≤${Number.isFinite(b.le) ? `${b.le}ms` : '∞'}"`);
      const chart = [
        'xychart-beta',
        '    title "Latency histogram"',
        `    x-axis [${names.join(', ')}]`,
        '    y-axis "requests"',
        `    bar [${l.histogram.map((b) => b.count).join(', ')}]`,
      ];
      out.push(mdFence('mermaid', chart.join('\n')), safeMd``);
    }
    const f = r.failover;
    if (f?.victim) {
      const ms = (v?: number) => (v === undefined ? '—' : `${round(v, 0)} ms`);
      const added = f.scaleUp
        ? safeMd`, new replica ${mdCode(f.scaleUp.name ?? '?')} served after ${ms(f.scaleUp.ms)}`
        : safeMd``;
      out.push(
        safeMd`Failover on ${mdCode(f.victim.name)}: left after ${ms(f.detectMs)} (${f.stopErrors} failed), back after ${ms(f.recoverMs)} (${f.restartErrors} failed)${added}.`,
        safeMd``,
      );
    }
  }
  return mdJoin(out);
}

/** JUnit XML: one testsuite per target, one testcase per check, failures say expected vs seen. */
export function renderJunit(results: readonly TargetResult[]): string {
  const tests = results.reduce((n, r) => n + r.checks.length, 0);
  const failures = results.reduce((n, r) => n + r.checks.filter((c) => !c.passed).length, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shipkit smoke" tests="${tests}" failures="${failures}">`,
  ];
  for (const r of results) {
    const bad = r.checks.filter((c) => !c.passed).length;
    out.push(
      `  <testsuite name="${esc(r.name)}" tests="${r.checks.length}" failures="${bad}" time="${(r.load.durationMs / 1000).toFixed(3)}">`,
    );
    for (const c of r.checks) {
      const open = `    <testcase classname="smoke.${esc(r.name)}" name="${esc(c.name)}"`;
      if (c.passed) out.push(`${open}/>`);
      else {
        out.push(
          `${open}>`,
          `      <failure message="${esc(`expected ${c.expected}; seen ${c.seen}`)}">${esc(`expected: ${c.expected}\nseen: ${c.seen}`)}</failure>`,
          '    </testcase>',
        );
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

/** The JSON report: every figure and check, machine-readable. */
export function renderJson(results: readonly TargetResult[]): string {
  return (
    JSON.stringify(
      {
        passed: results.every((r) => r.passed),
        targets: results.map((r) => ({
          ...r,
          load: {
            ...r.load,
            histogram: r.load.histogram.map((b) => ({
              le: Number.isFinite(b.le) ? b.le : null,
              count: b.count,
            })),
          },
        })),
      },
      null,
      2,
    ) + '\n'
  );
}

/** One line per failed check, `target: check: expected …; seen …`. */
export function failedLines(results: readonly TargetResult[]): string[] {
  return results.flatMap((r) =>
    r.checks
      .filter((c) => !c.passed)
      .map((c) => `${r.name}: ${c.name}: expected ${c.expected}; seen ${c.seen}`),
  );
}
