import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

// Its own module so that the all-in-one action imports it (and the YAML parser) only when a step runs.
/**
 * The `default:` of every input of one step's `actions/<step>/action.yml`, as strings (the form
 * GitHub passes them in). Throws when the file cannot be read: a step without its action.yml is a
 * broken checkout, not a state to run in.
 */
export async function actionDefaults(actionYml: URL | string): Promise<Record<string, string>> {
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
