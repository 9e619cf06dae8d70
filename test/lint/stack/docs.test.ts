import { describe, expect, it } from 'vitest';
import { STACK_RULES } from '../../../src/lint/stack/catalog.js';
import { helpUri, SK_DOCS } from '../../../src/lint/formats/sarif.js';
import { expectedRulePages } from '../../../scripts/gen-rule-docs.mjs';

describe('SK rule docs', () => {
  const pages = expectedRulePages(STACK_RULES);
  it('every rule has an up-to-date page (npm run docs) with a bad and a good example', () => {
    expect(pages.filter((p) => p.existing !== p.content).map((p) => p.path)).toEqual([]);
    for (const r of STACK_RULES) {
      const page = pages.find((p) => p.path.endsWith(`/${r.code}.md`));
      expect(page?.content).toContain(`# ${r.code}: ${r.title}`);
      expect(page?.content).toContain(`Severity: **${r.severity}**`);
      if (!/^SK6/.test(r.code)) expect(page?.content).toMatch(/## Bad[\s\S]+```[\s\S]+## Good[\s\S]+```/);
    }
  });
  it('codes are SK + four digits, unique, one-line titles; SARIF links point at the pages', () => {
    expect(new Set(STACK_RULES.map((r) => r.code)).size).toBe(STACK_RULES.length);
    for (const r of STACK_RULES) {
      expect(r.code).toMatch(/^SK\d{4}$/);
      expect(r.title).not.toMatch(/\n/);
      expect(helpUri(r.code)).toBe(`${SK_DOCS}/${r.code}.md`);
    }
  });
});
