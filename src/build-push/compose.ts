/**
 * Compose mode: every service with a `build:` section becomes one image target. The model comes from
 * compose itself (`src/compose/model.ts`: `-f` overrides, `extends`, `include`, `.env` and every
 * `${…}` form as `compose build` sees them); errors point at the line that defines the service.
 */
import { isAbsolute, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { servicesInFileOrder, type ResolvedCompose, type ServiceConfig } from '../compose/model.js';
import type { ImageTarget } from './plan.js';
import { parseRef, repository } from '../docker/refs.js';

export interface ComposeOptions {
  /** Project name for services without `image:` (local tags `<project>-<service>`). */
  project: string;
  /** Only these services (all with `build:` when empty). */
  services: readonly string[];
  /** Extra tag names applied to every service image. */
  tagNames: readonly string[];
  push: boolean;
}

const isUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(s);

function targetOf(r: ResolvedCompose, name: string, svc: ServiceConfig, o: ComposeOptions): ImageTarget {
  const build = svc.build!;
  const fail = (message: string, key?: string): never => {
    throw new UserError(message, {
      ...r.locate(name, key),
      field: `services.${name}${key ? `.${key}` : ''}`,
    });
  };
  if (!svc.image && o.push) {
    fail('has `build:` but no `image:`, so there is nowhere to push it (add image: registry/name:tag)');
  }
  const image = svc.image ?? `${o.project.toLowerCase().replace(/[^a-z0-9_-]/g, '')}-${name}`;
  const ref = parseRef(image);
  if (!ref) return fail(`invalid image reference "${image}"`, svc.image ? 'image' : undefined);
  const repo = repository(ref);
  const tags = [ref.tag || ref.digest ? image : `${repo}:latest`, ...o.tagNames.map((t) => `${repo}:${t}`)];
  const remote = isUrl(build.context);
  const dockerfile = build.dockerfile;
  return {
    name,
    context: build.context,
    file: dockerfile && !remote ? resolve(build.context, dockerfile) : dockerfile,
    target: build.target,
    // An `args` entry without a value whose variable is unset is not passed: the Dockerfile default applies.
    buildArgs: Object.entries(build.args ?? {}).flatMap(([k, v]) =>
      v === null ? [] : [[k, v] as [string, string]],
    ),
    platforms: build.platforms ?? [],
    tags: [...new Set(tags)],
    labels: Object.entries(build.labels ?? {}),
    cacheFrom: build.cache_from ?? [],
    cacheTo: build.cache_to ?? [],
  };
}

/** Image targets of the resolved compose model. Throws `UserError` with file, line and field. */
export function composeTargets(r: ResolvedCompose, o: ComposeOptions): ImageTarget[] {
  const all = Object.keys(r.model.services);
  const missing = o.services.filter((s) => !all.includes(s));
  if (missing.length) {
    throw new UserError(`no such service: ${missing.join(', ')} (services: ${all.join(', ') || 'none'})`, {
      ...r.locate(),
      field: 'input "services"',
    });
  }
  const names = servicesInFileOrder(r).filter(
    (n) => r.model.services[n].build && (!o.services.length || o.services.includes(n)),
  );
  if (!names.length) {
    throw new UserError('no service has a `build:` section', { ...r.locate(), field: 'services' });
  }
  return names.map((n) => {
    const t = targetOf(r, n, r.model.services[n], o);
    if (!isUrl(t.context) && !isAbsolute(t.context)) t.context = resolve(t.context);
    return t;
  });
}
