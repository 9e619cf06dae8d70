import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { STEPS } from '../src/steps.js';
import { defaultsOf } from '../src/core/interface.js';
import { withStepDefaults, WORKFLOW_TOKEN } from '../src/core/step-defaults.js';

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
    const inputs = new Set(['step', 'workflow-token']);
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

  it('root action.yml is ready for the Marketplace: name, a description of at most 125 characters, branding', () => {
    const all = load('action.yml') as ActionYaml & { name?: string; description?: string; branding?: object };
    expect(all.name).toBe('shipkit');
    expect(all.description?.length).toBeGreaterThan(20);
    expect(all.description!.length).toBeLessThanOrEqual(125);
    const branding = all.branding as { icon?: unknown; color?: unknown } | undefined;
    expect(typeof branding?.icon).toBe('string');
    expect(typeof branding?.color).toBe('string');
  });

  // GitHub applies only the root action.yml's defaults; where steps disagree, dist/all fills in the
  // chosen step's own (src/core/step-defaults.ts). Either way `step: X` must see what actions/X sees.
  for (const name of Object.keys(STEPS)) {
    it(`step: ${name} through the root action sees every default of actions/${name}/action.yml`, async () => {
      const all = load('action.yml');
      const own = load(`actions/${name}/action.yml`);
      const token = 'ghs_workflowtoken';
      // What GitHub passes to the root action when the workflow sets only `step`.
      const passed = (input: string) => {
        const d = all.inputs?.[input]?.default;
        return d === WORKFLOW_TOKEN ? token : (d ?? '');
      };
      const source = withStepDefaults(
        { get: passed },
        defaultsOf((await STEPS[name]()).iface),
        passed('workflow-token'),
      );
      for (const [input, spec] of Object.entries(own.inputs ?? {})) {
        const want =
          spec.default === undefined ? '' : spec.default === WORKFLOW_TOKEN ? token : String(spec.default);
        expect(source.get(input) ?? '', `${name}.${input}`).toBe(want);
      }
    });
  }

  it('a value the workflow gives wins over the step default, and a token default needs the workflow token', () => {
    const source = withStepDefaults(
      { get: (n) => ({ command: 'deploy', timeout: '' })[n] },
      { command: 'status', timeout: '5s', 'github-token': WORKFLOW_TOKEN },
    );
    expect(source.get('command')).toBe('deploy');
    expect(source.get('timeout')).toBe('5s');
    expect(source.get('github-token')).toBeUndefined();
  });
});
