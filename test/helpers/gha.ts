import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempDir } from './tmp.js';

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  env: Record<string, string>;
}

/** Parses GitHub's file-command format: `name=value` lines and `name<<DELIM … DELIM` blocks. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i]);
      out[name] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

function run(
  bundle: string,
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bundle],
      { env, cwd, maxBuffer: 64 << 20, timeout: 600_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Runs a bundled action the way GitHub's runner does: `node <bundle>` with `INPUT_*` variables and
 * real GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV and GITHUB_STEP_SUMMARY files. With `post: true` the
 * post phase follows, with the saved state passed back as `STATE_*` variables. Its RUNNER_TEMP (which also
 * holds those files) is removed after the test; call it from a test, not a `beforeAll`.
 */
export async function runBundledAction(
  bundle: string,
  inputs: Record<string, string>,
  opts: {
    env?: Record<string, string>;
    cwd?: string;
    phase?: 'main' | 'post';
    state?: Record<string, string>;
  } = {},
): Promise<ActionRun> {
  const dir = tempDir('shipkit-gha-');
  const files = {
    GITHUB_OUTPUT: 'output',
    GITHUB_STATE: 'state',
    GITHUB_ENV: 'env',
    GITHUB_STEP_SUMMARY: 'summary',
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    TMPDIR: tmpdir(), // this run's own (test/tmp-guard.ts)
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: dir,
    GITHUB_WORKSPACE: opts.cwd ?? process.cwd(),
    ...opts.env,
  };
  for (const [key, name] of Object.entries(files)) {
    env[key] = join(dir, name);
    writeFileSync(env[key], '');
  }
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(opts.state ?? {})) env[`STATE_${name}`] = value;
  const result = await run(bundle, env, opts.cwd ?? process.cwd());
  return {
    ...result,
    outputs: parseFileCommands(readFileSync(env.GITHUB_OUTPUT, 'utf8')),
    state: parseFileCommands(readFileSync(env.GITHUB_STATE, 'utf8')),
    summary: readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8'),
    env: parseFileCommands(readFileSync(env.GITHUB_ENV, 'utf8')),
  };
}

/** Main phase, then (when the main phase saved `isPost`) the post phase with its state, as GitHub runs them. */
export async function runActionWithPost(
  bundle: string,
  inputs: Record<string, string>,
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<{ main: ActionRun; post?: ActionRun }> {
  const main = await runBundledAction(bundle, inputs, opts);
  if (main.state.isPost !== 'true') return { main };
  const post = await runBundledAction(bundle, inputs, { ...opts, phase: 'post', state: main.state });
  return { main, post };
}
