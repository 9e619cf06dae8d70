import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalPlatform } from '../platform/local.js';
import { GitHubPlatform } from '../platform/github.js';
import { MemoryPlatform } from '../platform/memory.js';
import type { StatusReport } from './commands.js';
import { historyMarkdown, historyText } from './history.js';
import { Journal, withHeartbeat } from './journal.js';
import { mermaidText, publishSummary, renderSummary, type SummaryInput } from './summary.js';
import type { HistoryEntry } from './state.js';

const HOSTILE = '1.0|x\n::warning::pwned ``` %%{init: {}}%% ${X} <img src=x> # head; a:b';

function status(version2 = '2.0.0', history: HistoryEntry[] = []): StatusReport {
  return {
    name: 'shop',
    lb: 'nginx',
    live: 'green',
    previous: 'blue',
    routes: { live: 'green', preview: 'blue' },
    pending: null,
    colours: {
      blue: { status: 'drained', image: 'reg/shop:1', version: '1.0.0', running: 2, healthy: 2 },
      green: {
        status: 'live',
        image: 'reg/shop:2',
        version: version2,
        running: 2,
        healthy: 1,
        deployedAt: '2026-12-03T12:00:00.000Z',
        deployedBy: 'ana',
        promotedAt: '2026-12-03T12:01:00.000Z',
      },
    },
    rollbackTarget: { image: 'reg/shop:1', version: '1.0.0', colour: 'blue', until: 'x', running: true },
    problems: ['green is live but only 1 of 2 replicas are healthy'],
    history,
  };
}

function promoteInput(over: Partial<SummaryInput> = {}): SummaryInput {
  return {
    command: 'promote',
    name: 'shop',
    lb: 'nginx',
    replicas: 2,
    outcome: 'ok',
    status: status(),
    journal: {
      startedAt: '2026-12-03T12:01:00.000Z',
      steps: [
        { name: 'take the lock', startMs: 0, endMs: 3, ok: true },
        { name: 'check green before switching', startMs: 3, endMs: 40, ok: true },
        { name: 'switch the load balancer to green', startMs: 40, endMs: 52, ok: true },
        { name: 'smoke-test green on the live route', startMs: 52, endMs: 180, ok: true },
      ],
      smokes: [
        {
          route: 'live',
          colour: 'green',
          url: 'http://127.0.0.1:8080/',
          requests: 20,
          failures: 0,
          p99Ms: 3.25,
          passed: true,
        },
      ],
      switches: [
        {
          op: 'promote',
          from: 'blue',
          to: 'green',
          at: '2026-12-03T12:01:00.052Z',
          switchMs: 12,
          sinceStartMs: 52,
        },
      ],
    },
    totalMs: 190,
    ...over,
  };
}

/** The body of the one ```mermaid block. */
function mermaidBody(md: string): string[] {
  const m = /^(`{3,})mermaid\n([\s\S]*?)\n\1$/m.exec(md);
  expect(m).not.toBeNull();
  return m![2].split('\n');
}

/** Markdown with its code spans and blocks removed (in them `<img>` is text, not HTML). */
const outsideCode = (md: string) => md.replace(/(?<![\\`])(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');

/** Cells of a Markdown table line: split on `|` not escaped by a backslash. */
const cells = (line: string) => line.split(/(?<!\\)\|/).slice(1, -1);

describe('blue-green job summary', () => {
  it('shows each colour with image, version, replicas and health, the switch and the smoke test', () => {
    const md = renderSummary(promoteInput()).text;
    expect(md).toContain('### blue-green promote of `shop` (nginx): green is live (2.0.0)');
    expect(md).toMatch(
      /\| blue \| preview, previous \| drained \| `reg\/shop:1` \| `1\.0\.0` \| 2 \/ 2 \/ 2 \|/,
    );
    expect(md).toMatch(
      /\| green \| live \| live \| `reg\/shop:2` \| `2\.0\.0` \| 1 \/ 2 \/ 2 \| 2026-12-03T12:00:00\.000Z by ana \|/,
    );
    expect(md).toContain('moved live traffic from blue to **green** at 2026-12-03T12:01:00.052Z');
    expect(md).toContain('the load balancer change took 12 ms, 0.05 s after the command started');
    expect(md).toMatch(
      /\| live \| green \| `http:\/\/127\.0\.0\.1:8080\/` \| 20 \| 0 \| 3\.3 ms \| passed \|/,
    );
    expect(md).toContain('- problem: green is live but only 1 of 2 replicas are healthy');
    expect(md).toContain('**Rollback target:** `1.0.0`');
  });

  it('draws the steps as a Mermaid gantt chart with their durations and the switch as a milestone', () => {
    const body = mermaidBody(renderSummary(promoteInput()).text);
    expect(body[0]).toBe('gantt');
    expect(body).toContain('    dateFormat x');
    expect(body).toContain('    switch the load balancer to green 12 ms :done, s2, 40, 52');
    expect(body).toContain('    live on green :milestone, m0, 52, 53');
    // A step of 0 ms still gets a bar (start < end).
    const zero = promoteInput();
    zero.journal.steps[0] = { name: 'take the lock', startMs: 0, endMs: 0, ok: false };
    expect(mermaidBody(renderSummary(zero).text)).toContain('    take the lock 0 ms :crit, s0, 0, 1');
  });

  it('says when a live smoke failure switched back, and the error of a failed command', () => {
    const input = promoteInput({ outcome: 'failed', error: 'smoke test of green failed: HTTP 500' });
    input.journal.switches[0].reverted = true;
    input.journal.smokes[0] = {
      ...input.journal.smokes[0],
      passed: false,
      failures: 20,
      message: 'HTTP 500',
    };
    const md = renderSummary(input).text;
    expect(md).toContain('(nginx) failed: green is live');
    expect(md).toContain('> **Error:** smoke test of green failed: HTTP 500');
    expect(md).toContain('**back to blue** because the live smoke test failed');
    expect(md).toContain('| 20 | 20 | 3.3 ms | failed: HTTP 500 |');
  });

  it('keeps hostile versions, images and names in their table cell and out of the Mermaid block', () => {
    const input = promoteInput({
      status: status(HOSTILE, [{ at: 't', op: 'deploy', by: HOSTILE, outcome: 'ok', version: HOSTILE }]),
    });
    input.command = 'status';
    input.journal.steps.push({ name: `deploy ${HOSTILE}`, startMs: 180, endMs: 190, ok: true });
    input.error = HOSTILE;
    const md = renderSummary(input).text;
    const lines = md.split('\n');
    // Every table keeps its column count on every row: a `|` in a value never adds a cell.
    for (const block of md.split('\n\n')) {
      const rows = block.split('\n').filter((l) => l.startsWith('|'));
      if (rows.length) for (const r of rows) expect(cells(r).length).toBe(cells(rows[0]).length);
    }
    // No line of the summary starts a workflow command, a heading or HTML from a value.
    expect(lines.filter((l) => /^\s*::/.test(l))).toEqual([]);
    expect(outsideCode(md)).not.toContain('<img');
    expect(lines.filter((l) => l.startsWith('#'))).toHaveLength(1);
    // The Mermaid block holds only our statements, each on its own line, in the safe alphabet.
    const body = mermaidBody(md);
    const statement =
      /^(gantt| {4}(title|dateFormat|section) [^:;#%\n]+| {4}axisFormat %S\.%L s| {4}[A-Za-z0-9 ._()/+-]+ :(done|crit|milestone), [sm]\d+, \d+, \d+)$/;
    for (const l of body) expect(l).toMatch(statement);
    expect(body.some((l) => l.startsWith('    deploy 1.0 x warning pwned'))).toBe(true);
    // The history table of status has one row per entry.
    expect(md).toContain('**History** (newest last)');
  });

  it('mermaidText keeps letters, digits and ._()/+- only, and never returns an empty label', () => {
    expect(mermaidText('deploy 1.2.3+b4 (green)')).toBe('deploy 1.2.3+b4 (green)');
    expect(mermaidText('a:b;c#d%e\nf<g>`h')).toBe('a b c d e f g h');
    expect(mermaidText(':;#')).toBe('-');
    expect(mermaidText('x'.repeat(100), 10)).toBe('x'.repeat(10));
  });
});

describe('blue-green history table', () => {
  const history: HistoryEntry[] = [
    {
      at: '2026-12-03T12:00:00.000Z',
      op: 'deploy',
      by: 'ana@ci',
      outcome: 'ok',
      colour: 'green',
      version: '2.0.0',
    },
    {
      at: '2026-12-03T12:01:00.000Z',
      op: 'promote',
      by: 'bo',
      outcome: 'failed',
      colour: 'green',
      message: 'live smoke failed; switched back to blue',
    },
  ];

  it('lists who, when, what and result as aligned text', () => {
    expect(historyText(history).split('\n')).toEqual([
      'history:',
      '  when                      who     what                  result',
      '  2026-12-03T12:00:00.000Z  ana@ci  deploy green (2.0.0)  ok',
      '  2026-12-03T12:01:00.000Z  bo      promote green         failed: live smoke failed; switched back to blue',
    ]);
    expect(historyText([])).toBe('history: none recorded');
  });

  it('as Markdown, escapes every value and keeps a hostile one on its row', () => {
    const md = historyMarkdown([{ ...history[0], by: HOSTILE, version: HOSTILE }]).text;
    const rows = md.split('\n');
    expect(rows).toHaveLength(3);
    expect(cells(rows[2])).toHaveLength(4);
    expect(rows[2]).toContain('1.0\\|x');
    expect(outsideCode(rows[2])).not.toContain('<img');
  });
});

describe('publishing the summary', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'skbg-summary-'));
    dirs.push(d);
    return d;
  };

  it('locally: the file holds the Markdown, and the log prints it without a line a runner would obey', async () => {
    const dir = tmp();
    let out = '';
    const platform = new LocalPlatform(
      {},
      (t) => (out += t),
      () => undefined,
      false,
    );
    const md = renderSummary(promoteInput({ error: HOSTILE, outcome: 'failed' }));
    await publishSummary(platform, md, { file: join(dir, 's.md'), given: false, log: true });
    expect(readFileSync(join(dir, 's.md'), 'utf8')).toBe(md.text + '\n');
    expect(out).toContain('gantt');
    expect(out.split('\n').filter((l) => /^\s*::/.test(l))).toEqual([]);
  });

  it('on GitHub: the job summary only, and the file too when summary-file is given', async () => {
    const dir = tmp();
    const env = { GITHUB_STEP_SUMMARY: join(dir, 'step-summary.md') };
    let out = '';
    const platform = new GitHubPlatform(env, (t) => (out += t));
    const md = renderSummary(promoteInput());
    await publishSummary(platform, md, { file: join(dir, 'a.md'), given: false, log: true });
    expect(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toBe(md.text + '\n');
    expect(() => readFileSync(join(dir, 'a.md'))).toThrow(/ENOENT/);
    expect(out).toBe('');
    await publishSummary(platform, md, { file: join(dir, 'b.md'), given: true, log: true });
    expect(readFileSync(join(dir, 'b.md'), 'utf8')).toBe(md.text + '\n');
  });

  it('status --format json: the file, but nothing in the log that would break the JSON', async () => {
    const dir = tmp();
    const platform = new MemoryPlatform();
    await publishSummary(platform, renderSummary(promoteInput({ command: 'status' })), {
      file: join(dir, 's.md'),
      given: false,
      log: false,
    });
    expect(platform.reports).toEqual([{ kind: 'other', path: join(dir, 's.md') }]);
    expect(platform.lines).toEqual([]);
  });
});

describe('journal and heartbeat', () => {
  afterEach(() => vi.useRealTimers());

  it('records each step with its start, end and whether it threw', async () => {
    let t = 100;
    const j = new Journal(() => t);
    await j.step('a', async () => {
      t += 5;
    });
    await expect(
      j.step('b', async () => {
        t += 2;
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(j.steps).toEqual([
      { name: 'a', startMs: 0, endMs: 5, ok: true },
      { name: 'b', startMs: 5, endMs: 7, ok: false },
    ]);
  });

  it('says every 10 s what it still waits for, and stops when the work ends', async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    let done!: () => void;
    const work = withHeartbeat(
      'the live smoke test of green',
      (l) => lines.push(l),
      () => new Promise<void>((r) => (done = r)),
    );
    await vi.advanceTimersByTimeAsync(25_000);
    expect(lines).toEqual([
      'still waiting for the live smoke test of green (10 s)',
      'still waiting for the live smoke test of green (20 s)',
    ]);
    done();
    await work;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(lines).toHaveLength(2);
  });

  it('says what is awaited at the moment of each heartbeat when given a function', async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    let lag = 'node-2 has 1 of 2 up';
    let done!: () => void;
    const work = withHeartbeat(
      () => `every node's LB (${lag})`,
      (l) => lines.push(l),
      () => new Promise<void>((r) => (done = r)),
    );
    await vi.advanceTimersByTimeAsync(10_000);
    lag = 'node-3 has 0 of 2 up';
    await vi.advanceTimersByTimeAsync(10_000);
    done();
    await work;
    expect(lines).toEqual([
      "still waiting for every node's LB (node-2 has 1 of 2 up) (10 s)",
      "still waiting for every node's LB (node-3 has 0 of 2 up) (20 s)",
    ]);
  });
});
