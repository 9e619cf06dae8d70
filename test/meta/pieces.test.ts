import { describe, expect, it } from 'vitest';
import { listInput, parseCsv } from '../../src/meta/csv.js';
import { escapeHtml, isRawStatement, render } from '../../src/meta/template.js';
import { formatDate } from '../../src/meta/dateformat.js';
import { parsePep440, parseSemver } from '../../src/meta/versions.js';
import { parseFlavor, parseImages, parseRule, parseRules } from '../../src/meta/rules.js';
import { sanitizeTag, sortKeys } from '../../src/meta/compute.js';
import { UserError } from '../../src/core/errors.js';

describe('csv lists (metadata-action input parsing)', () => {
  const rows: { name: string; input: string; expected: string[] }[] = [
    { name: 'one item per line, trimmed', input: 'a\n  b  \n\nc', expected: ['a', 'b', 'c'] },
    {
      name: 'fields of a line joined back with commas',
      input: 'type=ref,event=branch',
      expected: ['type=ref,event=branch'],
    },
    {
      name: 'quotes removed around a field',
      input: 'type=match,"pattern=\\d,x"',
      expected: ['type=match,pattern=\\d,x'],
    },
    { name: 'comment lines and infix comments dropped', input: '# c\na#b\nc', expected: ['a', 'c'] },
    { name: 'a # inside quotes is kept', input: '"a#b"', expected: ['a#b'] },
    { name: 'quote in the middle of a field is literal', input: 'a"b', expected: ['a"b'] },
    { name: 'CRLF line ends', input: 'a\r\nb', expected: ['a', 'b'] },
    { name: 'empty input', input: '', expected: [] },
    { name: 'whitespace-only lines dropped', input: 'a\n   \n\t\nb', expected: ['a', 'b'] },
    // The rows below were checked against csv-parse 5 with metadata-action's options.
    {
      name: 'a closing quote followed by text keeps both quotes and the comma',
      input: '",b"a\nc',
      expected: ['",b"a', 'c'],
    },
    {
      name: 'the first line end decides: after CRLF a bare LF is text',
      input: 'a\r\nb\nc',
      expected: ['a', 'b\nc'],
    },
    { name: 'an infix comment after a quoted field', input: '"a"#x\nb', expected: ['a', 'b'] },
  ];
  for (const r of rows) it(r.name, () => expect(listInput(r.input)).toEqual(r.expected));

  it('doubled quotes inside a quoted field are one quote', () => {
    expect(parseCsv('"say ""hi""",x')).toEqual([['say "hi"', 'x']]);
  });

  it('an unclosed quote is an error, as in csv-parse', () => {
    expect(() => listInput('type=raw,"value=x')).toThrow(/quoted field is not closed/);
  });

  it('a rule line is read without relax_quotes: a stray quote is an error there', () => {
    expect(parseCsv('type=raw,value=a"b', { relaxQuotes: true })).toEqual([['type=raw', 'value=a"b']]);
    expect(() => parseCsv('type=raw,value=a"b')).toThrow(/quote in the middle/);
    expect(() => parseCsv('"a"b')).toThrow(/after a closing quote/);
  });
});

describe('expressions (Handlebars subset)', () => {
  const scope = {
    branch: () => 'main',
    n: 3,
    t: true,
    f: false,
    obj: { a: 'x' },
    greet: (args: unknown[], hash: Record<string, unknown>) => `${String(args[0])}-${String(hash.to)}`,
  };
  const rows: { name: string; tpl: string; expected: string }[] = [
    { name: 'plain text untouched', tpl: 'abc', expected: 'abc' },
    { name: 'helper without arguments', tpl: 'x-{{branch}}', expected: 'x-main' },
    { name: 'numbers render', tpl: '{{n}}', expected: '3' },
    { name: 'unknown names render empty', tpl: 'a{{nope}}b', expected: 'ab' },
    { name: 'nested path', tpl: '{{obj.a}}', expected: 'x' },
    { name: 'helper with string argument and hash', tpl: "{{greet 'hi' to='you'}}", expected: 'hi-you' },
    { name: 'double-quoted arguments', tpl: '{{greet "a b" to="c"}}', expected: 'a b-c' },
    {
      name: 'HTML escaping like Handlebars',
      tpl: "{{greet '<a=b>' to='&'}}",
      expected: '&lt;a&#x3D;b&gt;-&amp;',
    },
    { name: 'triple stash does not escape', tpl: "{{{greet '<' to='>'}}}", expected: '<->' },
    { name: 'comments vanish', tpl: 'a{{! note }}b', expected: 'ab' },
    { name: 'escaped braces are literal', tpl: '\\{{branch}}', expected: '{{branch}}' },
    { name: 'whitespace control eats the spaces around', tpl: 'a {{~branch~}} b', expected: 'amainb' },
    { name: 'ampersand does not escape', tpl: "{{&greet '<' to='>'}}", expected: '<->' },
    { name: 'this. and ./ name the context', tpl: '{{this.n}}{{./n}}{{this/n}}', expected: '333' },
    { name: 'a comment alone on its line takes the spaces along', tpl: ' {{! c }} ', expected: '' },
    { name: 'a comment beside text keeps them', tpl: 'a {{! c }} ', expected: 'a  ' },
    {
      name: 'if / else',
      tpl: '{{#if t}}yes{{else}}no{{/if}}-{{#if f}}yes{{else}}no{{/if}}',
      expected: 'yes-no',
    },
    { name: 'unless', tpl: '{{#unless f}}shown{{/unless}}', expected: 'shown' },
    { name: 'false renders as text', tpl: '{{f}}', expected: 'false' },
  ];
  for (const r of rows) it(r.name, () => expect(render(r.tpl, scope)).toBe(r.expected));

  it('rejects unclosed expressions and blocks with a UserError', () => {
    expect(() => render('{{branch', scope)).toThrow(UserError);
    expect(() => render('{{#if t}}x', scope)).toThrow(/unclosed/);
    expect(() => render('{{nope "x"}}', scope)).toThrow(/unknown helper "nope"/);
    // Handlebars' parse errors
    expect(() => render('{{branch}}}', scope)).toThrow(UserError);
    expect(() => render('{{{{branch}}}}', scope)).toThrow(UserError);
    expect(() => render('{{=}}', scope)).toThrow(UserError);
  });

  it('escapeHtml covers the characters Handlebars escapes', () => {
    expect(escapeHtml('&<>"\'`=')).toBe('&amp;&lt;&gt;&quot;&#x27;&#x60;&#x3D;');
  });

  it('isRawStatement is true only for exactly {{raw}}', () => {
    expect(isRawStatement('{{raw}}')).toBe(true);
    expect(isRawStatement(' {{raw}}')).toBe(false);
    expect(isRawStatement('v{{raw}}')).toBe(false);
    expect(isRawStatement('{{version}}')).toBe(false);
    expect(isRawStatement('{{raw')).toBe(false);
  });
});

describe('moment-style dates in a time zone', () => {
  const at = new Date('2020-01-10T00:30:05.123Z');
  const rows: { name: string; fmt: string; tz?: string; expected: string }[] = [
    {
      name: 'documented Tokyo example',
      fmt: 'YYYYMMDD-HHmmss',
      tz: 'Asia/Tokyo',
      expected: '20200110-093005',
    },
    { name: 'UTC default', fmt: 'YYYY-MM-DD HH:mm:ss.SSS', expected: '2020-01-10 00:30:05.123' },
    {
      name: 'negative offset crosses the day',
      fmt: 'YYYYMMDD HH Z',
      tz: 'America/New_York',
      expected: '20200109 19 -05:00',
    },
    { name: 'half-hour zone, ZZ', fmt: 'HH:mm ZZ', tz: 'Asia/Kolkata', expected: '06:00 +0530' },
    { name: 'short forms', fmt: 'YY M D H m s', expected: '20 1 10 0 30 5' },
    { name: 'names and ordinals', fmt: 'dddd ddd MMMM MMM Do', expected: 'Friday Fri January Jan 10th' },
    { name: '12-hour clock', fmt: 'hh:mm A a', tz: 'Asia/Tokyo', expected: '09:30 AM am' },
    { name: 'unix seconds and ms', fmt: 'X x', expected: '1578616205 1578616205123' },
    { name: 'bracketed literals', fmt: '[Week of] YYYY', expected: 'Week of 2020' },
    { name: 'quarter and day of year', fmt: 'Q DDD DDDD', expected: '1 10 010' },
  ];
  for (const r of rows) it(r.name, () => expect(formatDate(at, r.fmt, r.tz)).toBe(r.expected));

  it('an unknown time zone keeps the local time, as moment-timezone does (only logging an error)', () => {
    const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000);
    expect(formatDate(at, 'YYYYMMDD-HHmm', 'Mars/Olympus')).toBe(
      `${local.toISOString().slice(0, 10).replace(/-/g, '')}-${local.toISOString().slice(11, 16).replace(':', '')}`,
    );
  });

  // Expected values printed by moment-timezone 0.6.6 / moment 2.31 for the same instant.
  const more: { name: string; fmt: string; tz?: string; expected: string }[] = [
    { name: 'ISO and locale weeks', fmt: 'GGGG-[W]WW gggg-ww Wo wo', expected: '2020-W02 2020-02 2nd 2nd' },
    { name: 'English long formats', fmt: 'L LT', tz: 'Asia/Tokyo', expected: '01/10/2020 9:30 AM' },
    { name: 'a backslash keeps the whole next token', fmt: '\\YYYY-YYYY', expected: 'YYYY-2020' },
    { name: 'Y, YYYYY and era tokens', fmt: 'Y YYYYY N y', expected: '2020 02020 AD 2020' },
    { name: 'Hmm and hmmss', fmt: 'Hmm hmmss', tz: 'Asia/Tokyo', expected: '930 93005' },
    { name: 'zone abbreviation: Paris', fmt: 'z', tz: 'Europe/Paris', expected: 'CET' },
    { name: 'zone abbreviation: Tokyo', fmt: 'zz', tz: 'Asia/Tokyo', expected: 'JST' },
    { name: 'zone abbreviation: UTC', fmt: 'z', expected: 'UTC' },
    { name: 'zone without an abbreviation', fmt: 'z', tz: 'America/Argentina/Buenos_Aires', expected: '-03' },
    { name: 'empty format is the UTC ISO default', fmt: '', expected: '2020-01-10T00:30:05Z' },
    {
      name: 'empty format elsewhere keeps the offset',
      fmt: '',
      tz: 'Asia/Tokyo',
      expected: '2020-01-10T09:30:05+09:00',
    },
  ];
  for (const r of more) it(r.name, () => expect(formatDate(at, r.fmt, r.tz)).toBe(r.expected));
});

describe('semver and PEP 440', () => {
  it('semver: strict validity, loose parse, prerelease flag', () => {
    expect(parseSemver('v1.2.3')).toEqual({
      vars: { raw: 'v1.2.3', version: '1.2.3', major: 1, minor: 2, patch: 3, prerelease: [], build: [] },
      isPrerelease: false,
    });
    expect(parseSemver('1.0.0-rc.1')?.isPrerelease).toBe(true);
    expect(parseSemver('1.2')).toBeUndefined();
    expect(parseSemver('release')).toBeUndefined();
  });

  const pep: { raw: string; version?: string; pre?: boolean; mm?: [number, number, number] }[] = [
    { raw: '1.2.3', version: '1.2.3', pre: false, mm: [1, 2, 3] },
    { raw: 'v1.2', version: '1.2', pre: false, mm: [1, 2, 0] },
    { raw: '1.0-Alpha1', version: '1.0a1', pre: true },
    { raw: '1.0.0.beta.2', version: '1.0.0b2', pre: true },
    { raw: '1.0c1', version: '1.0rc1', pre: true },
    { raw: '1.0preview2', version: '1.0rc2', pre: true },
    { raw: '1.0rc', version: '1.0rc0', pre: true },
    { raw: '1.0-1', version: '1.0.post1', pre: true },
    { raw: '1.0.rev3', version: '1.0.post3', pre: true },
    { raw: '1.0.dev', version: '1.0.dev0', pre: true },
    { raw: '2!1.0a1.post2.dev3', version: '2!1.0a1.post2.dev3', pre: true },
    { raw: '0!1.0', version: '1.0', pre: false },
    // @renovatebot/pep440 (metadata-action's parser) prints the local parts with commas.
    { raw: '1.0+Ubuntu-1', version: '1.0+ubuntu,1', pre: false },
    { raw: '1.0+abc.007', version: '1.0+abc,7', pre: false },
    { raw: ' 1.0' },
    { raw: '01.002', version: '1.2', pre: false },
    { raw: '1.0-foo' },
    { raw: 'not-a-version' },
  ];
  for (const p of pep) {
    it(`pep440: ${p.raw} → ${p.version ?? 'invalid'}`, () => {
      const got = parsePep440(p.raw);
      if (!p.version) return expect(got).toBeUndefined();
      expect(got?.vars.version).toBe(p.version);
      expect(got?.isPrerelease).toBe(p.pre);
      if (p.mm) expect([got?.vars.major, got?.vars.minor, got?.vars.patch]).toEqual(p.mm);
    });
  }
});

describe('rules, flavor, images', () => {
  it('applies type defaults', () => {
    expect(parseRule('type=schedule').attrs.pattern).toBe('nightly');
    expect(parseRule('type=sha').attrs).toMatchObject({ prefix: 'sha-', format: 'short', enable: 'true' });
    expect(parseRule('type=ref,event=pr').attrs.prefix).toBe('pr-');
    expect(parseRule('type=match,pattern=x').attrs.group).toBe('0');
    expect(parseRule('foo')).toMatchObject({ type: 'raw', priority: 200, attrs: { value: 'foo' } });
    expect(parseRule('type=raw,value=a=b').attrs.value).toBe('a=b');
  });

  it('errors name the input and line', () => {
    const err = (() => {
      try {
        parseRules(['type=raw,value=x', 'type=nope']);
      } catch (e) {
        return e as UserError;
      }
    })();
    expect(err).toBeInstanceOf(UserError);
    expect(err?.toString()).toBe(
      'input "tags" line 2: unknown tag type "nope" (expected one of: schedule, semver, pep440, match, edge, ref, raw, sha)',
    );
    expect(() => parseRule('type=match,pattern=x,group=a')).toThrow(/group must be a number/);
  });

  it('takes any priority, as metadata-action does: empty is 0', () => {
    const order = parseRules(['type=raw,value=x,priority=', 'type=sha', 'type=raw,value=y,priority=high']);
    expect(order.map((r) => r.attrs.value ?? r.type)).toEqual(['sha', 'x', 'y']);
  });

  it('orders by priority, stable for equal priorities', () => {
    const order = parseRules([
      'type=sha',
      'b',
      'type=semver,pattern={{version}}',
      'a',
      'type=raw,value=c,priority=950',
    ]).map((r) => r.attrs.value ?? r.type);
    expect(order).toEqual(['c', '', 'b', 'a', 'sha']);
  });

  it('flavor defaults and onlatest binding', () => {
    expect(parseFlavor([])).toEqual({
      latest: 'auto',
      prefix: '',
      prefixLatest: false,
      suffix: '',
      suffixLatest: false,
    });
    expect(parseFlavor(['suffix=-s,onlatest=true', 'prefix=p-'])).toMatchObject({
      prefix: 'p-',
      suffix: '-s',
      suffixLatest: true,
      prefixLatest: false,
    });
    expect(() => parseFlavor(['onlatest=yes'])).toThrow(/onlatest must be true or false/);
  });

  it('images: old comma form, name=, enable=, errors', () => {
    expect(parseImages(['a/b, C/D'])).toEqual([
      { name: 'a/b', enable: true },
      { name: 'c/d', enable: true },
    ]);
    expect(parseImages(['name=a/b,enable=false', 'c'])).toEqual([
      { name: 'a/b', enable: false },
      { name: 'c', enable: true },
    ]);
    expect(() => parseImages(['name=a,colour=red'])).toThrow(/unknown image attribute "colour"/);
    expect(() => parseImages(['enable=true', 'x'])).toThrow(/image name is empty/);
  });

  it('sanitizeTag replaces runs of invalid characters', () => {
    expect(sanitizeTag('my/feature#1245')).toBe('my-feature-1245');
    expect(sanitizeTag('a  b//c')).toBe('a-b-c');
    expect(sanitizeTag('v1.2.3_x-y')).toBe('v1.2.3_x-y');
  });
});

describe('sortKeys: label order as localeCompare gives it, without loading the collator for plain keys', () => {
  const byLocale = (keys: string[]) => [...keys].sort((a, b) => a.localeCompare(b, 'en'));
  it('plain keys (a-z, 0-9, . - /): the same order as localeCompare, over many generated sets', () => {
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789./-';
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let set = 0; set < 2000; set++) {
      const keys = Array.from({ length: 6 }, () =>
        Array.from({ length: 1 + rand(8) }, () => chars[rand(chars.length)]).join(''),
      );
      expect(sortKeys([...keys])).toEqual(byLocale(keys));
    }
  });
  it('other keys (upper case, _): localeCompare, not code-unit order', () => {
    const keys = ['org.b', 'Org.A', 'org_c', 'org-c', 'ORG.a'];
    expect(sortKeys([...keys])).toEqual(byLocale(keys));
    expect(sortKeys([...keys])).not.toEqual([...keys].sort());
  });
});
