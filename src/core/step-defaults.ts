import type { InputSource } from '../platform/types.js';

/** The expression GitHub evaluates for a `default: ${{ github.token }}` input. */
export const WORKFLOW_TOKEN = '${{ github.token }}';

/**
 * The inputs of the all-in-one action as the chosen step's own action would see them: an input the
 * workflow left empty takes that step's default, so `step: build-push` behaves as
 * `actions/build-push` does (the step's own reader applies the same defaults; this also covers
 * raw reads and the workflow token). Several steps share an input name with different defaults (`command`,
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
