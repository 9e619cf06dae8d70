// Shared by the smoke integration tests: build the example images once (tags with our prefix),
// bring compose projects up and down through src/docker/cli.ts, wait until the LB answers.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compose, docker, type ComposeProject } from '../../src/docker/cli.js';
import { hostFacts } from '../helpers/host.js';
import { tempDir } from '../helpers/tmp.js';

export const root = join(import.meta.dirname, '..', '..');
export const example = join(root, 'examples', 'lb-stack');
export const fixtures = join(import.meta.dirname, 'fixtures');

export const images = {
  app: 'sksmoke-app:test',
  nginx: 'sksmoke-lb-nginx:test',
  haproxy: 'sksmoke-lb-haproxy:test',
  bad: 'sksmoke-lb-bad:test',
};

/** Builds the images the tests need, FROM the local base image (no pulls possible). */
export async function buildImages(which: (keyof typeof images)[]): Promise<void> {
  const base = hostFacts()?.baseImage ?? 'shipkit/base:bookworm';
  const dirs: Record<keyof typeof images, [string, string]> = {
    app: [join(example, 'app'), 'NODE_IMAGE'],
    nginx: [join(example, 'nginx'), 'NGINX_IMAGE'],
    haproxy: [join(example, 'haproxy'), 'HAPROXY_IMAGE'],
    bad: [join(fixtures, 'negative', 'nginx'), 'NGINX_IMAGE'],
  };
  for (const key of which) {
    const [dir, arg] = dirs[key];
    await docker(['build', '-q', '--build-arg', `${arg}=${base}`, '-t', images[key], dir], {
      timeoutMs: 120_000,
    });
  }
}

/** A compose project with an env file written to a temp dir (the smoke step gets the same file). */
export function project(
  name: string,
  files: string[],
  env: Record<string, string>,
): ComposeProject & { envFile: string } {
  const dir = tempDir(`${name}-`);
  const envFile = join(dir, '.env');
  const base = hostFacts()?.baseImage ?? 'shipkit/base:bookworm';
  const all = { NODE_IMAGE: base, NGINX_IMAGE: base, HAPROXY_IMAGE: base, ...env };
  writeFileSync(
    envFile,
    Object.entries(all)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
  return { name, files, envFiles: [envFile], envFile };
}

/**
 * `up -d` of the backends first, then the front services with `--no-deps`: on a loaded shared
 * machine the example app's 2 s healthcheck can time out, and compose v1 then refuses to start
 * the LB (`depends_on: service_healthy`). The smoke step's own readiness wait covers the start.
 */
export async function up(
  p: ComposeProject,
  scale: string[],
  backends: string[],
  front: string[],
): Promise<void> {
  await compose(p, ['up', '-d', '--no-build', ...scale.flatMap((s) => ['--scale', s]), ...backends], {
    timeoutMs: 150_000,
  });
  if (front.length > 0)
    await compose(p, ['up', '-d', '--no-build', '--no-deps', ...front], { timeoutMs: 150_000 });
}

/** Removes the project's containers, networks and volumes (never images: other files reuse them). */
export async function down(p: ComposeProject): Promise<void> {
  await compose(p, ['down', '-v', '--remove-orphans', '-t', '2'], { check: false, timeoutMs: 60_000 });
}
