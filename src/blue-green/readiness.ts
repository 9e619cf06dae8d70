/**
 * Readiness through the load balancer: before a new colour is smoke-tested, every one of its
 * replicas must answer the health path through the LB's preview route, each reached by name, so a
 * replica that Docker calls healthy but the LB cannot reach is found and named before any smoke
 * request can fail on it.
 */
import { StepFailure } from '../core/errors.js';
import { lbLogs, type Replica } from './engine.js';
import { lbHost, type LoadBalancer } from './lb.js';
import type { AppSettings } from './plan.js';
import { httpGet, type HttpAnswer } from './probe.js';
import type { Colour } from './state.js';
import { sleep } from '../io/time.js';

function describe(a: HttpAnswer, by: string, colour: Colour): string {
  const route = String(a.headers['x-shipkit-preview'] ?? '');
  const body = a.body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
  if (route && route !== colour) return `the preview route serves ${route}, not ${colour}`;
  return `HTTP ${a.status}${by ? ` from ${by}` : ''}${body ? `: ${body}` : ''}`;
}

/**
 * Resolves when every replica in `replicas` has answered `health-path` with a 2xx/3xx status
 * through the preview route, from itself. Throws a `StepFailure` at `deadline` naming each replica
 * that did not (container, address, the LB's last answer for it and its error-log lines).
 */
export async function confirmReplicas(
  s: AppSettings,
  lb: LoadBalancer,
  colour: Colour,
  replicas: readonly Replica[],
  deadline: number,
  progress: (line: string) => void = () => {},
): Promise<void> {
  const pending = new Map(replicas.map((r) => [r.id, r]));
  const start = Date.now();
  let beat = start;
  const last = new Map<string, string>();
  const names = new Map<string, string[]>();
  for (;;) {
    const todo = [...pending.values()];
    const probes = await lb.probes(colour, todo);
    todo.forEach((r, i) => names.set(r.id, probes[i].logNames));
    await Promise.all(
      todo.map(async (r, i) => {
        const p = probes[i];
        try {
          const a = await httpGet(`http://${lbHost(s)}:${s.previewPort}${p.path}`, p.headers, 3000);
          const by = p.answeredBy(a.headers);
          const ok =
            a.status >= 200 && a.status < 400 && by === p.expect && a.headers['x-shipkit-preview'] === colour;
          if (ok) {
            pending.delete(r.id);
            progress(`${colour} replica ${r.hostname} answers through the load balancer (${p.expect})`);
          } else last.set(r.id, describe(a, by, colour));
        } catch (err: unknown) {
          last.set(r.id, (err as Error).message);
        }
      }),
    );
    if (!pending.size) return;
    if (Date.now() >= deadline) break;
    if (Date.now() - beat >= 10_000) {
      beat = Date.now();
      progress(
        `waiting for ${[...pending.values()].map((r) => r.hostname).join(', ')} to answer through the load balancer (${Math.round((beat - start) / 1000)} s): ${[...last.values()][0] ?? ''}`,
      );
    }
    await sleep(Math.min(250, Math.max(0, deadline - Date.now())));
  }
  const log = await (lb.logs ? lb.logs(300) : lbLogs(s, 300)).catch(() => '');
  const lines = [...pending.values()].map((r) => {
    const mentions = log
      .split('\n')
      .filter((l) => (names.get(r.id) ?? []).some((n) => l.includes(n)))
      .slice(-3);
    return (
      `replica ${r.hostname} (${r.ip}:${s.appPort}) never answered ${s.healthPath} through the load balancer's preview route: ` +
      `${last.get(r.id) ?? 'not asked'}${mentions.length ? `; the load balancer logged: ${mentions.join(' | ')}` : ''}`
    );
  });
  throw new StepFailure(
    `${lines.length} of ${replicas.length} replicas of ${colour} are healthy in Docker but not reachable through the load balancer (input health-timeout): ${lines.join('; ')}`,
  );
}
