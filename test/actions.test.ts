import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { STEPS } from '../src/steps.js';

interface ActionYaml {
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string };
}

const root = join(import.meta.dirname, '..');
const load = (path: string) => parse(readFileSync(join(root, path), 'utf8')) as ActionYaml;
const stepDirs = readdirSync(join(root, 'actions')).filter((d) =>
  existsSync(join(root, 'actions', d, 'action.yml')),
);

describe('action.yml files match their step code both ways', () => {
  it('has one actions/<step> folder per registered step and no other', () => {
    expect(stepDirs.sort()).toEqual(Object.keys(STEPS).sort());
  });

  for (const name of Object.keys(STEPS)) {
    describe(name, () => {
      const action = load(`actions/${name}/action.yml`);
      it('declares exactly the inputs the code reads', async () => {
        const step = await STEPS[name]();
        expect(Object.keys(action.inputs ?? {}).sort()).toEqual([...step.inputNames].sort());
      });
      it('declares exactly the outputs the code sets', async () => {
        const step = await STEPS[name]();
        expect(Object.keys(action.outputs ?? {}).sort()).toEqual([...step.outputNames].sort());
      });
      it('runs its committed bundle on node24, with a post step only when the code has one', async () => {
        const step = await STEPS[name]();
        expect(action.runs.using).toBe('node24');
        expect(action.runs.main).toBe(`../../dist/${name}/index.js`);
        expect(existsSync(join(root, 'actions', name, action.runs.main))).toBe(true);
        expect(action.runs.post).toBe(step.hasPost ? action.runs.main : undefined);
      });
      it('describes every input and output', () => {
        for (const [key, spec] of Object.entries({ ...action.inputs, ...action.outputs })) {
          expect(spec.description, `${name}: ${key}`).toBeTruthy();
        }
      });
    });
  }

  it('root action.yml offers `step` plus the union of every step input and output', async () => {
    const all = load('action.yml');
    const inputs = new Set(['step']);
    const outputs = new Set<string>();
    for (const load of Object.values(STEPS)) {
      const step = await load();
      step.inputNames.forEach((n) => inputs.add(n));
      step.outputNames.forEach((n) => outputs.add(n));
    }
    expect(Object.keys(all.inputs ?? {}).sort()).toEqual([...inputs].sort());
    expect(Object.keys(all.outputs ?? {}).sort()).toEqual([...outputs].sort());
    expect(all.runs).toMatchObject({ using: 'node24', main: 'dist/all/index.js' });
  });
});
