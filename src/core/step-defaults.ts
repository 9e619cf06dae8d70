import { readFile } from 'node:fs/promises';
import type { InputSource } from '../platform/types.js';

/** The expression GitHub evaluates for a `default: ${{ github.token }}` input. */
export const WORKFLOW_TOKEN = '${{ github.token }}';

/**
 * The `default:` of every input of one step's `actions/<step>/action.yml`, as strings (the form
 * GitHub passes them in). Throws when the file cannot be read: a step without its action.yml is a
 * broken checkout, not a state to run in.
 */
export async function actionDefaults(actionYml: URL | string): Promise<Record<string, string>> {
  // Loaded here, not at start-up: the all-in-one action's start-up stays free of the YAML parser.
  const { parse } = await import('yaml');
  const doc = parse(await readFile(actionYml, 'utf8')) as {
    inputs?: Record<string, { default?: unknown }>;
  } | null;
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(doc?.inputs ?? {})) {
    const d = spec.default;
    // action.yml defaults are scalars (GitHub passes them as strings); anything else is not a default.
    if (typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean') out[name] = String(d);
  }
  return out;
}

/**
 * The inputs of the all-in-one action as the chosen step's own action would see them: an input the
 * workflow left empty takes that step's default, so `step: build-push` behaves as
 * `actions/build-push` does. Several steps share an input name with different defaults (`command`,
 * `timeout`, `github-token`, …), so the root action.yml cannot carry them all; this fills the rest.
 * A `${{ github.token }}` default becomes `workflowToken` (the root action's `workflow-token` input,
 * which GitHub evaluates), or stays empty without one.
 */
export function withStepDefaults(
  source: InputSource,
  defaults: Record<string, string>,
  workflowToken?: string,
): InputSource {
  return {
    get(name) {
      const given = source.get(name);
      if (given !== undefined && given !== '') return given;
      const fallback = defaults[name];
      if (fallback === undefined) return given;
      return fallback === WORKFLOW_TOKEN ? workflowToken || given : fallback;
    },
  };
}
