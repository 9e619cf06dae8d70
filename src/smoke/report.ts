import type { TargetResult } from './run.js';
import { round } from './stats.js';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const label = (s: string) => s.replace(/"/g, "'");

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

/** The figures of one target in one line, for the log. */
export function renderFigures(r: TargetResult): string {
  const l = r.load;
  const backends = Object.entries(l.backends)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${r.name}: ${l.requests} req, ${l.failures} failed, ${round(l.rps, 0)} req/s, p50 ${round(l.p50)} ms, p95 ${round(l.p95)} ms, p99 ${round(l.p99)} ms; backends: ${backends || 'none'}`;
}

/** GitHub job summary: a check table, then per-backend pie and latency histogram as Mermaid charts. */
export function renderMarkdown(results: readonly TargetResult[]): string {
  const out: string[] = ['## shipkit smoke', ''];
  for (const r of results) {
    const l = r.load;
    out.push(
      `### ${r.passed ? '✅' : '❌'} ${r.name}`,
      '',
      `\`${r.url}\` — ${l.requests} requests, ${l.failures} failed, ${round(l.rps, 0)} req/s, p50 ${round(l.p50)} ms · p95 ${round(l.p95)} ms · p99 ${round(l.p99)} ms`,
      '',
    );
    out.push('| Check | Result | Expected | Seen |', '|---|---|---|---|');
    for (const c of r.checks)
      out.push(
        `| ${cell(c.name)} | ${c.passed ? 'pass' : '**FAIL**'} | ${cell(c.expected)} | ${cell(c.seen)} |`,
      );
    out.push('');
    const backends = Object.entries(l.backends);
    if (backends.length > 0) {
      out.push('```mermaid', `pie showData title Responses per backend`);
      for (const [name, n] of backends.sort((a, b) => b[1] - a[1])) out.push(`    "${label(name)}" : ${n}`);
      out.push('```', '');
    }
    if (l.histogram.length > 0) {
      const names = l.histogram.map((b) => `"≤${Number.isFinite(b.le) ? `${b.le}ms` : '∞'}"`);
      out.push(
        '```mermaid',
        'xychart-beta',
        '    title "Latency histogram"',
        `    x-axis [${names.join(', ')}]`,
        '    y-axis "requests"',
        `    bar [${l.histogram.map((b) => b.count).join(', ')}]`,
        '```',
        '',
      );
    }
    const f = r.failover;
    if (f?.victim) {
      const ms = (v?: number) => (v === undefined ? '—' : `${round(v, 0)} ms`);
      out.push(
        `Failover on \`${f.victim.name}\`: left after ${ms(f.detectMs)} (${f.stopErrors} failed), back after ${ms(f.recoverMs)} (${f.restartErrors} failed)${f.scaleUp ? `, new replica \`${f.scaleUp.name}\` served after ${ms(f.scaleUp.ms)}` : ''}.`,
        '',
      );
    }
  }
  return out.join('\n');
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
