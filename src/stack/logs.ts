import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { docker } from '../docker/cli.js';
import { mapLimit } from '../io/time.js';
import type { ContainerState } from './status.js';

/**
 * Keeps the last `cap` bytes of a stream of lines in bounded memory (the end of a log is what
 * explains a failure; compose-action crashed buffering GB-sized logs whole).
 */
export class TailBuffer {
  private lines: string[] = [];
  private head = 0;
  private size = 0;
  dropped = 0;
  constructor(private readonly cap: number) {}

  push(line: string): void {
    this.lines.push(line);
    this.size += Buffer.byteLength(line) + 1;
    while (this.size > this.cap && this.head < this.lines.length) {
      const n = Buffer.byteLength(this.lines[this.head++]) + 1;
      this.size -= n;
      this.dropped += n;
    }
    // Compact now and then instead of shift() per line (which is O(n) each).
    if (this.head > 4096 && this.head * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.head);
      this.head = 0;
    }
  }

  /** The kept lines; `sorted` orders `--timestamps` lines by time (stdout and stderr arrive apart). */
  text(sorted = false): string {
    const note = this.dropped
      ? `[shipkit: ${this.dropped} earlier bytes dropped, cap ${this.cap} bytes]\n`
      : '';
    const kept = this.lines.slice(this.head);
    const body = (sorted ? sortByTimestamp(kept) : kept).join('\n');
    return note + body + (body ? '\n' : '');
  }
}

/** Stable sort by a leading RFC 3339 timestamp (fractions padded: docker trims trailing zeros). */
export function sortByTimestamp(lines: readonly string[]): string[] {
  const key = (l: string) => {
    const m = /^(\S+?T[\d:]+)(?:\.(\d+))?Z /.exec(l);
    return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}` : '';
  };
  let last = '';
  // Lines without a timestamp (continuations) keep the time of the line before them.
  const keyed = lines.map((l, i) => ({ l, i, k: (last = key(l) || last) }));
  return keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i)).map((x) => x.l);
}

/**
 * Saves the log of every container to `<dir>/<container>.log` (stdout and stderr, timestamped),
 * each capped at `maxBytes` (the last bytes are kept). Returns the files written.
 */
export async function saveLogs(
  dir: string,
  containers: readonly ContainerState[],
  maxBytes: number,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  return mapLimit(containers, 4, async (c) => {
    const buf = new TailBuffer(maxBytes);
    const r = await docker(['logs', '--timestamps', c.id], {
      check: false,
      buffer: false,
      onStdout: (l) => buf.push(l),
      onStderr: (l) => buf.push(l),
    });
    if (r.code !== 0) buf.push(`[shipkit: docker logs exited ${r.code}]`);
    const file = join(dir, `${c.name}.log`);
    await writeFile(file, buf.text(true));
    return file;
  });
}

/** The last `lines` lines of a container's log (stdout and stderr together). */
export async function tailLog(id: string, lines: number): Promise<string[]> {
  const out: string[] = [];
  await docker(['logs', '--tail', String(lines), id], {
    check: false,
    buffer: false,
    onStdout: (l) => out.push(l),
    onStderr: (l) => out.push(l),
  });
  return out.slice(-lines);
}
