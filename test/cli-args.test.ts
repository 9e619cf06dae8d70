import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args.js';
import { UserError } from '../src/core/errors.js';

const names = ['format', 'config', 'no-fail', 'paths', 'ignore'];
const spec = { positional: ['paths'], aliases: { '-f': 'format', '-c': 'config' }, switches: ['no-fail'] };

describe('parseArgs', () => {
  const rows: { name: string; argv: string[]; expected: Record<string, string | undefined> }[] = [
    { name: 'long flag with value', argv: ['--format', 'json'], expected: { format: 'json' } },
    { name: 'flag=value', argv: ['--format=sarif'], expected: { format: 'sarif' } },
    { name: 'alias', argv: ['-c', 'x.yaml'], expected: { config: 'x.yaml' } },
    {
      name: 'repeated flag joins with newlines',
      argv: ['-f', 'json', '-f', 'tty'],
      expected: { format: 'json\ntty' },
    },
    {
      name: 'switch takes no value',
      argv: ['--no-fail', 'Dockerfile'],
      expected: { 'no-fail': 'true', paths: 'Dockerfile' },
    },
    {
      name: 'switch with an explicit true/false (as CI templates write it)',
      argv: ['--no-fail', 'false', 'Dockerfile'],
      expected: { 'no-fail': 'false', paths: 'Dockerfile' },
    },
    { name: 'variadic positional', argv: ['a', 'b', '--', '-c'], expected: { paths: 'a\nb\n-c' } },
    { name: 'absent input is undefined', argv: [], expected: { format: undefined } },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const src = parseArgs(row.argv, names, spec);
      for (const [k, v] of Object.entries(row.expected)) expect(src.get(k)).toBe(v);
    });
  }

  it('rejects an unknown option by name', () => {
    expect(() => parseArgs(['--nope', 'x'], names, spec)).toThrow(/unknown option --nope/);
    expect(() => parseArgs(['--nope'], names, spec)).toThrow(UserError);
  });
  it('rejects a flag without its value', () => {
    expect(() => parseArgs(['--format'], names, spec)).toThrow(/--format needs a value/);
  });
  it('rejects positional arguments for a step that takes none', () => {
    expect(() => parseArgs(['x'], names, {})).toThrow(/unexpected argument "x"/);
  });
});
