/** What build-push reports: the `images` JSON, the summary table and the size-budget explanation. */
import { safeMd, mdCode, mdJoin, mdTable, type Markdown } from '../platform/markdown.js';

export interface ImageResult {
  name: string;
  tags: string[];
  imageId: string;
  /** Registry digest after push (`sha256:…`); empty when not pushed. */
  digest: string;
  /** Uncompressed size in bytes as the engine reports it (`docker image inspect .Size`). */
  size: number;
  layers: number;
  buildMs: number;
}

/** One entry of the `images` output, consumed by the stack and blue-green steps. */
export interface ImageEntry {
  /** `repo@sha256:…` when pushed (pin this), else the first tag. */
  image: string;
  tags: string[];
  digest: string;
  imageid: string;
  size: number;
}

export function imagesJson(results: readonly ImageResult[]): Record<string, ImageEntry> {
  const out: Record<string, ImageEntry> = {};
  for (const r of results) {
    const repo = r.tags[0]?.replace(/(@[^@]+)$/, '').replace(/:[^:/]+$/, '') ?? '';
    out[r.name] = {
      image: r.digest && repo ? `${repo}@${r.digest}` : (r.tags[0] ?? r.imageId),
      tags: r.tags,
      digest: r.digest,
      imageid: r.imageId,
      size: r.size,
    };
  }
  return out;
}

/** Decimal units, as registries and `docker images` show them: `14.2 MB`. */
export function formatSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

const short = (digest: string) => (digest ? digest.replace(/^sha256:/, '').slice(0, 12) : '—');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Markdown table for the GitHub job summary (and `SHIPKIT_SUMMARY` elsewhere). */
export function summaryMarkdown(results: readonly ImageResult[], builder: string): Markdown {
  const rows = results.map((r) => [
    r.name,
    mdJoin(r.tags.map(mdCode), '<br>'),
    mdCode(r.digest || 'not pushed'),
    formatSize(r.size),
    r.layers,
    seconds(r.buildMs),
  ]);
  const head = ['Image', 'Tags', 'Digest', 'Size', 'Layers', 'Build time'];
  return safeMd`### shipkit build-push (${builder})\n\n${mdTable(head, rows)}\n`;
}

/** The same table as aligned plain text, for the GitLab and local logs. */
export function logTable(results: readonly ImageResult[]): string[] {
  const head = ['IMAGE', 'TAGS', 'DIGEST', 'SIZE', 'LAYERS', 'BUILD'];
  const rows = results.map((r) => [
    r.name,
    r.tags.join(', '),
    short(r.digest),
    formatSize(r.size),
    String(r.layers),
    seconds(r.buildMs),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  return [head, ...rows].map((row) =>
    row
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
}

export interface Layer {
  size: number;
  /** The Dockerfile instruction, cleaned (`RUN apt-get …`, `COPY …`). */
  instruction: string;
}

/** Turns `docker history` CreatedBy into the instruction as written in the Dockerfile. */
export function cleanInstruction(createdBy: string): string {
  let s = createdBy.trim();
  if (!s) return '(base image layer, no history)';
  s = s.replace(/^\|\d+ (?:\S+=\S* )*/, ''); // the classic builder's `|2 A=1 B=2 ` build-arg prefix
  const nop = /^\/bin\/sh -c #\(nop\)\s*(.*)$/s.exec(s);
  if (nop) return nop[1].trim();
  const sh = /^\/bin\/sh -c (.*)$/s.exec(s);
  if (sh) return `RUN ${sh[1].trim()}`;
  return s.replace(/ # buildkit$/, '');
}

/** Parses `docker history --human=false --format '{{.Size}}\t{{.CreatedBy}}'`. */
export function parseHistory(stdout: string): Layer[] {
  return stdout
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => {
      const tab = l.indexOf('\t');
      return { size: Number(l.slice(0, tab)) || 0, instruction: cleanInstruction(l.slice(tab + 1)) };
    });
}

/** Advice that matches what the biggest layers do. */
export function slimmingHints(layers: readonly Layer[]): string[] {
  const hints = new Set<string>();
  for (const { instruction: i } of layers) {
    if (/apt-get install|apt install/.test(i) && !/--no-install-recommends/.test(i)) {
      hints.add('apt-get install --no-install-recommends skips suggested packages');
    }
    if (/apt-get (?:update|install)/.test(i) && !/rm -rf \/var\/lib\/apt\/lists/.test(i)) {
      hints.add('clean the apt lists in the same RUN: `&& rm -rf /var/lib/apt/lists/*`');
    }
    if (/^(?:COPY|ADD)\b/.test(i)) {
      hints.add(
        'a multi-stage build copies only the built artifacts into the final stage (COPY --from=build …)',
      );
      hints.add('a .dockerignore keeps .git, node_modules and test data out of COPY . .');
    }
    if (/no history|^FROM|ADD file:/.test(i)) {
      hints.add(
        'a smaller base image (alpine, distroless, debian:*-slim) or FROM scratch with a static binary',
      );
    }
    if (/npm (?:ci|install)|pip install|go build|cargo build/.test(i)) {
      hints.add('build in a separate stage and ship a static binary or only production dependencies');
    }
  }
  hints.add('multi-stage builds: compile in one stage, copy the result into a slim final stage');
  return [...hints];
}

/** The message of a failed size budget: sizes, the biggest layers with their instructions, hints. */
export function budgetMessage(name: string, size: number, max: number, layers: readonly Layer[]): string {
  const top = [...layers]
    .filter((l) => l.size > 0)
    .sort((a, b) => b.size - a.size)
    .slice(0, 5);
  const lines = [
    `${name}: image is ${formatSize(size)}, over the max-size budget of ${formatSize(max)} (by ${formatSize(size - max)}). Biggest layers:`,
    ...top.map(
      (l) =>
        `  ${formatSize(l.size).padStart(9)}  ${l.instruction.length > 160 ? l.instruction.slice(0, 157) + '...' : l.instruction}`,
    ),
    'To slim it:',
    ...slimmingHints(top).map((h) => `  - ${h}`),
  ];
  return lines.join('\n');
}
