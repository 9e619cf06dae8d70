import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { hostFacts } from '../helpers/host.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');
/** A tag unique to this test run, so parallel CI runs on one registry do not collide. */
export const RUN_TAG = `run-${Date.now().toString(36)}`;

export function facts() {
  const f = hostFacts();
  if (!f) throw new Error('scripts/setup-host.sh has not run');
  return f;
}

const basic = () => {
  const f = facts();
  return `Basic ${Buffer.from(`${f.registryUser}:${f.registryPassword}`).toString('base64')}`;
};

/** Tags of a repository in the local registry ([] when it has none). */
export async function registryTags(repo: string): Promise<string[]> {
  const r = await fetch(`http://${facts().registry}/v2/${repo}/tags/list`, {
    headers: { authorization: basic() },
  });
  if (r.status === 404) return [];
  return ((await r.json()) as { tags: string[] | null }).tags ?? [];
}

/** Deletes a tag's manifest from the local registry (delete is enabled by setup-host.sh). */
export async function registryDelete(repo: string, tag: string): Promise<void> {
  const url = `http://${facts().registry}/v2/${repo}/manifests/`;
  const accept = 'application/vnd.docker.distribution.manifest.v2+json';
  const head = await fetch(url + tag, { method: 'HEAD', headers: { authorization: basic(), accept } });
  const digest = head.headers.get('docker-content-digest');
  if (digest) await fetch(url + digest, { method: 'DELETE', headers: { authorization: basic() } });
}

/** Removes local images by reference, ignoring the ones already gone. */
export function rmi(...refs: string[]): void {
  for (const ref of refs) {
    try {
      execFileSync('docker', ['rmi', '-f', ref], { stdio: 'ignore' });
    } catch {
      // already removed
    }
  }
}

export function dockerOut(args: string[], env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync('docker', args, { encoding: 'utf8', env }).trim();
}
