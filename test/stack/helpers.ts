import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { inputsFrom } from '../../src/core/inputs.js';
import { execute } from '../../src/core/run.js';
import { MemoryPlatform } from '../../src/platform/memory.js';
import { step } from '../../src/stack/step.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const OWNER = 'skstack-itg';

/** A project name of this engineer's prefix, unique per call. */
export function projectFor(what: string): string {
  return `skstack-${what}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/** Runs the stack step in process, as the CLI would; returns the exit code and the recorded platform. */
export async function runStack(values: Record<string, string | number | boolean | undefined>) {
  const platform = new MemoryPlatform();
  const code = await execute(step, inputsFrom({ prefix: 'skstack', owner: OWNER, ...values }), platform);
  return { code, platform, text: platform.text() };
}

function count(args: string[]): number {
  return execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean).length;
}

/** Containers, networks and volumes (any state) of a compose project. */
export function leftovers(project: string) {
  const f = ['--filter', `label=com.docker.compose.project=${project}`];
  return {
    containers: count(['ps', '-aq', ...f]),
    networks: count(['network', 'ls', '-q', ...f]),
    volumes: count(['volume', 'ls', '-q', ...f]),
  };
}

export const NONE = { containers: 0, networks: 0, volumes: 0 };

/** Last-resort cleanup for afterAll: remove everything of a project by its label. */
export function forceRemove(project: string): void {
  const f = ['--filter', `label=com.docker.compose.project=${project}`];
  const ids = (args: string[]) =>
    execFileSync('docker', [...args, ...f], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  const run = (args: string[]) => {
    try {
      execFileSync('docker', args, { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  };
  for (const id of ids(['ps', '-aq'])) run(['rm', '-f', '-v', id]);
  for (const id of ids(['network', 'ls', '-q'])) run(['network', 'rm', id]);
  for (const id of ids(['volume', 'ls', '-q'])) run(['volume', 'rm', '-f', id]);
}
