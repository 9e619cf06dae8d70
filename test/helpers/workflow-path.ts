import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runBundledAction, type ActionRun } from './gha.js';

/**
 * Runs a caller workflow the way GitHub would for its shipkit steps: the caller job's `with:` is
 * evaluated (dispatch inputs, `vars`), passed to the reusable workflow in `.github/workflows/`
 * (its `workflow_call` defaults fill the rest), whose steps' `with:` is evaluated again and passed to
 * the bundled action with that action.yml's defaults for keys not given — as GitHub does, an input
 * given as an empty string stays empty. Only `${{ … }}` forms our workflows use are understood:
 * `inputs.x`, `vars.x`, `secrets.x`, `github.x` and `a || 'literal'`; anything else must be given
 * in `known` (e.g. `fromJSON(needs.ci.outputs.images).app.image`). Steps of other actions (notify)
 * are skipped; GitHub's API is not reachable here, so `github.token` is empty.
 */
const root = join(import.meta.dirname, '..', '..');

interface Context {
  inputs: Record<string, string>;
  vars: Record<string, string>;
  known: Record<string, string>;
}

function evalTerm(term: string, ctx: Context): string {
  const t = term.trim();
  const lit = /^'(.*)'$/.exec(t);
  if (lit) return lit[1];
  if (t in ctx.known) return ctx.known[t];
  const ref = /^(inputs|vars|secrets|github)\.([\w-]+)$/.exec(t);
  if (!ref) throw new Error(`workflow-path: cannot evaluate \${{ ${t} }} (add it to known)`);
  if (ref[1] === 'inputs') return ctx.inputs[ref[2]] ?? '';
  if (ref[1] === 'vars') return ctx.vars[ref[2]] ?? '';
  return '';
}

/** `${{ a || 'b' }}` and plain text around expressions. */
export function evaluate(value: string | number | boolean | undefined, ctx: Context): string {
  return String(value ?? '').replace(/\$\{\{(.*?)\}\}/g, (_, expr: string) => {
    for (const term of expr.split('||')) {
      const v = evalTerm(term, ctx);
      if (v !== '') return v;
    }
    return '';
  });
}

type Inputs = Record<string, { default?: string | number | boolean }>;
interface Job {
  uses?: string;
  with?: Record<string, string | number | boolean>;
  steps?: { uses?: string; with?: Record<string, string | number | boolean> }[];
}

function load<T>(path: string): T {
  return parse(readFileSync(path, 'utf8')) as T;
}

export interface PathRun {
  /** The inputs the bundled action received. */
  inputs: Record<string, string>;
  run: ActionRun;
}

/**
 * Runs job `jobId` of the caller workflow `callerFile` (its reusable workflow's shipkit action steps).
 * `overrides` are added to the caller job's `with:` as a user editing their copy would.
 */
export async function runCallerJob(
  callerFile: string,
  jobId: string,
  opts: {
    dispatch?: Record<string, string>;
    vars?: Record<string, string>;
    known?: Record<string, string>;
    overrides?: Record<string, string>;
    env?: Record<string, string>;
  },
): Promise<PathRun[]> {
  const caller = load<{ on?: { workflow_dispatch?: { inputs?: Inputs } }; jobs: Record<string, Job> }>(
    callerFile,
  );
  const dispatchDefaults = Object.fromEntries(
    Object.entries(caller.on?.workflow_dispatch?.inputs ?? {}).map(([k, s]) => [k, String(s.default ?? '')]),
  );
  const outer: Context = {
    inputs: { ...dispatchDefaults, ...opts.dispatch },
    vars: opts.vars ?? {},
    known: opts.known ?? {},
  };
  const job = caller.jobs[jobId];
  const wf = /^shipkit-dev\/shipkit\/(\.github\/workflows\/[\w.-]+)@v\d+$/.exec(job.uses ?? '')?.[1];
  if (!wf) throw new Error(`${callerFile} jobs.${jobId} does not call a shipkit reusable workflow`);
  const reusable = load<{ on: { workflow_call: { inputs?: Inputs } }; jobs: Record<string, Job> }>(
    join(root, wf),
  );
  const given = Object.fromEntries(
    Object.entries({ ...job.with, ...opts.overrides }).map(([k, v]) => [k, evaluate(v, outer)]),
  );
  const callInputs = Object.fromEntries(
    Object.entries(reusable.on.workflow_call.inputs ?? {}).map(([k, s]) => [
      k,
      k in given ? given[k] : String(s.default ?? ''),
    ]),
  );
  const inner: Context = { inputs: callInputs, vars: outer.vars, known: outer.known };
  const runs: PathRun[] = [];
  for (const j of Object.values(reusable.jobs)) {
    for (const step of j.steps ?? []) {
      const action = /^shipkit-dev\/shipkit\/actions\/([\w-]+)@v\d+$/.exec(step.uses ?? '')?.[1];
      if (!action || action === 'notify') continue;
      const declared = load<{ inputs?: Inputs }>(join(root, 'actions', action, 'action.yml')).inputs ?? {};
      const withValues = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, evaluate(v, inner)]),
      );
      const inputs: Record<string, string> = {};
      for (const [k, s] of Object.entries(declared)) {
        if (k in withValues) inputs[k] = withValues[k];
        else if (s.default !== undefined) inputs[k] = String(s.default);
      }
      const run = await runBundledAction(join(root, 'dist', action, 'index.js'), inputs, { env: opts.env });
      runs.push({ inputs, run });
      if (run.code !== 0) return runs;
    }
  }
  return runs;
}
