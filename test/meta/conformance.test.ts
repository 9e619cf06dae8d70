import { describe, expect, it } from 'vitest';
import { CASES } from './cases.js';
import { runCaseInProcess } from './run-case.js';

describe('meta conformance table (library)', () => {
  it('has a large table of named cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  for (const c of CASES) {
    it(c.name, () => {
      const warnings: string[] = [];
      const run = () => runCaseInProcess(c, (m) => warnings.push(m));
      if ('error' in c.expected) {
        expect(run).toThrow(c.expected.error);
        return;
      }
      const got = run();
      expect({ version: got.version, tags: got.tags }).toEqual({
        version: c.expected.version,
        tags: c.expected.tags,
      });
      if (c.expected.labels) expect(got.labels).toMatchObject(c.expected.labels);
      if (c.expected.warning) expect(warnings.join('\n')).toMatch(c.expected.warning);
    });
  }
});
