import { describe, expect, it } from 'vitest';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedModules, readInterface } from '../scripts/gen-interface.mjs';
import { codeDefaults, figures, passThroughs, problems } from '../scripts/check-interface.mjs';
import { STEPS } from '../src/steps.js';
import { InputReader, inputsFrom } from '../src/core/inputs.js';
import { stepReader } from '../src/core/interface.js';
import { UserError } from '../src/core/errors.js';
import { CLI_ENVIRONMENT, closest, stepUsage } from '../src/cli/help.js';
import { blueGreenInterface } from '../src/generated/blue-green.js';

const root = join(import.meta.dirname, '..');

describe('action.yml is the one definition of each step interface', () => {
  it('src/generated/<step>.ts is what scripts/gen-interface.mjs makes of today’s action.yml (run `npm run gen`)', async () => {
    for (const m of await expectedModules()) expect(m.existing, m.path).toBe(m.content);
  });

  for (const name of Object.keys(STEPS)) {
    it(`${name}: the registered step carries the interface generated from its action.yml`, async () => {
      const step = await STEPS[name]();
      expect(JSON.parse(JSON.stringify(step.iface))).toEqual(readInterface(name));
    });

    it(`${name}: getInputs with only the required inputs repeats no action.yml default in code`, async () => {
      const step = await STEPS[name]();
      // StepReader throws a plain Error when code passes its own default for an input that has one in
      // action.yml; a UserError (missing url, image …) is fine here.
      const values: Record<string, string> = { url: 'http://127.0.0.1:1/', image: 'app:1', event: 'started' };
      const read = () => {
        try {
          step.readInputs(new InputReader(inputsFrom(values)));
        } catch (err: unknown) {
          if (!(err instanceof UserError)) throw err;
        }
      };
      expect(read).not.toThrow();
    });
  }

  it('no literal fallback in src/ for an input whose action.yml has a default', () => {
    expect(codeDefaults()).toEqual([]);
  });

  it('every workflow, component and pipeline that passes an input through agrees with the step (default, type, choices)', () => {
    expect(passThroughs().length).toBeGreaterThan(50);
    expect(problems()).toEqual([]);
  });

  it('the check catches the lb-image bug of issue 13 and a different default', () => {
    const row = {
      file: 'x.yml',
      outer: 'lb-image',
      step: 'blue-green',
      input: 'lb-image',
      default: 'nginx:alpine',
    };
    expect(problems([row])[0]).toMatch(/computes it from other inputs/);
    expect(problems([{ ...row, input: 'port', outer: 'port', default: '9090' }])[0]).toMatch(
      /step's is "8080"/,
    );
    expect(problems([{ ...row, input: 'lb', outer: 'lb', default: '', options: ['traefik'] }])[0]).toMatch(
      /options/,
    );
    expect(problems([{ ...row, input: 'port', outer: 'port', default: '', type: 'string' }])).toEqual([]);
    expect(problems([{ ...row, input: 'auto-promote', outer: 'a', default: '', type: 'number' }])[0]).toMatch(
      /type number/,
    );
  });

  it('the figure: step code writes no default again; pass-throughs only ever repeat the step default', () => {
    const f = figures();
    expect(f.codeCopies).toBe(0);
    expect(f.problems).toEqual([]);
  });

  it('StepReader applies action.yml defaults, refuses a second one, and reads choices from action.yml', () => {
    const r = stepReader(new InputReader(inputsFrom({ lb: 'HAProxy' })), blueGreenInterface);
    expect(r.int('port')).toBe(8080);
    expect(r.duration('health-timeout')).toBe(120_000);
    expect(r.choice('lb')).toBe('haproxy');
    expect(r.isGiven('lb')).toBe(true);
    expect(r.isGiven('port')).toBe(false);
    expect(r.int('preview-port', {}, 8081)).toBe(8081);
    expect(() => r.int('port', {}, 9000)).toThrow(/has its default in actions\/blue-green\/action.yml/);
    expect(() => r.string('image')).toThrow(UserError);
    expect(() =>
      stepReader(new InputReader(inputsFrom({ lb: 'traefik' })), blueGreenInterface).choice('lb'),
    ).toThrow('expected one of: nginx, haproxy');
  });
});

describe('CLI help from the same source', () => {
  it('shows every input with its description, default, allowed values, grouped', async () => {
    for (const load of Object.values(STEPS)) {
      const step = await load();
      const text = stepUsage(step).replace(/\s+/g, ' ');
      for (const [name, spec] of Object.entries(step.iface.inputs)) {
        expect(text, `${step.name} --${name}`).toContain(`--${name}`);
        if (spec.default !== undefined && !spec.secret && !spec.default.startsWith('${{'))
          expect(text).toContain(`Default: ${JSON.stringify(spec.default)}`);
        if (spec.options) expect(text).toContain(`<${spec.options.join('|')}>`);
      }
    }
    const bg = stepUsage(await STEPS['blue-green']());
    expect(bg.indexOf('Options:')).toBeLessThan(bg.indexOf('Advanced:'));
    expect(bg).toMatch(/--lb-snippet[\s\S]*Advanced|Advanced:[\s\S]*--lb-snippet/);
  });

  it('suggests the closest flag or step for a typo, nothing for a word far from all', () => {
    expect(closest('--lb-imag', ['--lb', '--lb-image', '--port'])).toBe('--lb-image');
    expect(closest('--prot', ['--lb', '--port'])).toBe('--port');
    expect(closest('bluegren', ['blue-green', 'build-push'])).toBe('blue-green');
    expect(closest('--zzzzzz', ['--lb', '--port'])).toBeUndefined();
  });

  it('lists every SHIPKIT_* variable the code reads, in --help and in README.md', () => {
    const read = new Set(
      execSync(`grep -rhoE "env(\\.|\\[')SHIPKIT_[A-Z_]+" src --include=*.ts --exclude=*.test.ts`, {
        cwd: root,
      })
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/^env(\.|\[')/, '')),
    );
    expect(read.size).toBeGreaterThan(5);
    expect([...read].filter((v) => !(v in CLI_ENVIRONMENT))).toEqual([]);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(Object.keys(CLI_ENVIRONMENT).filter((v) => !readme.includes(`\`${v}\``))).toEqual([]);
  });
});
