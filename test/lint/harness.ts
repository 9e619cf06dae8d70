import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputsFrom } from '../../src/core/inputs.js';
import { execute } from '../../src/core/run.js';
import { step } from '../../src/lint/step.js';
import { MemoryPlatform } from '../../src/platform/memory.js';
import { tempDir } from '../helpers/tmp.js';

/** A temp folder holding `files` (name → text; names may have folders), e.g. a project to lint; see tempDir(). */
export function project(files: Record<string, string>, prefix = 'sklint-'): string {
  const dir = tempDir(prefix);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/**
 * Runs the lint step in memory with these inputs (ShellCheck off unless an input turns it on):
 * its exit code, the platform it reported to and the outputs it set.
 */
export async function runLint(inputs: Record<string, string>) {
  const platform = new MemoryPlatform(false);
  const code = await execute(step, inputsFrom({ shellcheck: 'false', ...inputs }), platform);
  return { code, platform, out: Object.fromEntries(platform.outputs) };
}
