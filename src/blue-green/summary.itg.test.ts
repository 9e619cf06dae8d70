/**
 * The job summary on the real engine: a deploy and a promote each write the summary file with the
 * colours they left (image, version, replicas), the switch and the smoke tests, and the history
 * gets an entry per command, shown by `status` as a table and as JSON.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingDocker } from '../../test/helpers/host.js';
import { colourAt, harness, testApp, withTestApp } from '../../test/blue-green/helpers.js';
import { loadState } from './state.js';

const skip = missingDocker();
const PORT = 15520;

describe.skipIf(skip)(`blue-green job summary, real engine${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const app = testApp('nginx', PORT, 'skbg-sum');
  const { dir, values } = app;
  const file = join(dir, 'summary.md');
  const h = harness({ ...values, 'summary-file': file });
  withTestApp(app);

  it('deploy and promote each write the summary with the right colours, and the history records both', async () => {
    const deploy = await h.run('deploy', { image: 'skbg-itg-app:1', version: '1.0|a' });
    let md = readFileSync(file, 'utf8');
    expect(deploy.reports).toEqual([{ kind: 'other', path: file }]);
    expect(md).toMatch(/^### blue-green deploy of `skbg-sum` \(nginx\): nothing is live/);
    expect(md).toMatch(/\| blue \| preview \| ready \| `skbg-itg-app:1` \| `1\.0\\\|a` \| 2 \/ 2 \/ 2 \|/);
    expect(md).toMatch(/\| green \| - \| absent \|/);
    expect(md).toMatch(
      /\| preview \| blue \| `http:\/\/127\.0\.0\.1:15521\/` \| 10 \| 0 \| [\d.]+ ms \| passed \|/,
    );
    expect(md).toContain('**Switch:** none, the live route did not change.');
    expect(md).toMatch(/```mermaid\ngantt\n[\s\S]*wait until blue is healthy \d+ ms :done/);
    // Off GitHub the log carries the same Markdown.
    expect(deploy.text()).toContain('| blue | preview | ready |');

    const promote = await h.run('promote');
    expect(await colourAt(PORT)).toBe('blue');
    md = readFileSync(file, 'utf8');
    expect(md).toMatch(/^### blue-green promote of `skbg-sum` \(nginx\): blue is live \(1\.0\\\|a\)/);
    expect(md).toMatch(/\| blue \| live \| live \| `skbg-itg-app:1` \| `1\.0\\\|a` \| 2 \/ 2 \/ 2 \|/);
    expect(md).toMatch(
      /\*\*Switch:\*\* promote moved live traffic from nothing to \*\*blue\*\* at \S+: the load balancer change took \d+ ms/,
    );
    expect(md).toMatch(/\| live \| blue \| `http:\/\/127\.0\.0\.1:15520\/` \| 10 \| 0 \|/);
    expect(md).toMatch(/switch the load balancer to blue \d+ ms :done, s\d+, \d+, \d+/);
    expect(md).toMatch(/live on blue :milestone/);
    expect(promote.text()).toMatch(/promote: the load balancer routes live traffic to blue/);

    const history = (await loadState(dir, values.name, 'nginx')).history;
    expect(history.map((e) => [e.op, e.colour, e.version, e.outcome])).toEqual([
      ['deploy', 'blue', '1.0|a', 'ok'],
      ['promote', 'blue', '1.0|a', 'ok'],
    ]);

    const text = (await h.run('status')).lines.map((l) => l.message).join('\n');
    expect(text).toMatch(
      /history:\n\s+when\s+who\s+what\s+result\n.*deploy blue \(1\.0\|a\)\s+ok\n.*promote blue \(1\.0\|a\)\s+ok/,
    );
    const json = await h.run('status', { format: 'json' });
    const printed = JSON.parse(json.lines.filter((l) => l.level === 'info').at(-1)!.message) as {
      history: { op: string }[];
    };
    expect(printed.history.map((e) => e.op)).toEqual(['deploy', 'promote']);
    // status writes the summary with the history table too.
    expect(readFileSync(file, 'utf8')).toMatch(
      /\*\*History\*\* \(newest last\)\n\n\| when \| who \| what \| result \|/,
    );
  });
});
