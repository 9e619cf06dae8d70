import { crypto } from '../core/builtins.js';

/**
 * Runner names carry their creation time, because neither GitHub's nor GitLab's runner list says
 * when a runner was registered: `<prefix>-<runId>-<attempt>-<rand>-c<unix seconds>`. The part before
 * `-c…` is the unique label used in `runs-on` (GitHub) or the job's `tags` (GitLab).
 */
export interface RunnerName {
  label: string;
  name: string;
  createdAt: number;
}

/** Label-safe: lower-case letters, digits and dashes. */
function clean(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 20) || 'x'
  );
}

/** A fresh, unique label and name for one runner (`label` given: used as is). Time in ms. */
export function runnerName(
  prefix: string,
  runId: string,
  attempt: string,
  now: number,
  label?: string,
  rand = crypto().randomBytes(3).toString('hex'),
): RunnerName {
  const l = label ?? `${prefix}-${clean(runId)}-${clean(attempt)}-${rand}`;
  const createdAt = Math.floor(now / 1000);
  // The name must start with our prefix even when the user chose the label, or gc would not find it.
  const base = l.startsWith(`${prefix}-`) ? l : `${prefix}-${l}`;
  return { label: l, name: `${base}-c${createdAt}`, createdAt };
}

/** The creation time (ms) encoded in a runner name or description of ours, or `undefined` if it is not ours. */
export function createdFromName(prefix: string, name: string): number | undefined {
  if (!name.startsWith(`${prefix}-`)) return undefined;
  const m = /-c(\d{9,11})$/.exec(name);
  return m ? Number(m[1]) * 1000 : undefined;
}

/** True when a runner of ours is older than `ttlMs` at `now`. Names not of ours are never stale. */
export function isExpired(prefix: string, name: string, ttlMs: number, now: number): boolean {
  const created = createdFromName(prefix, name);
  return created !== undefined && now - created >= ttlMs;
}
