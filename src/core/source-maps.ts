import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

// A frame's location: `file:///…/x.js:1:234` or `/…/x.js:1:234`, in `at f (…)` or bare `at …`.
const FRAME = /(file:\/\/\/[^\s()]+?\.m?js|\/[^\s()]+?\.m?js):(\d+):(\d+)/g;

/**
 * Rewrites the frames of a stack trace that point into a bundle with a sourcemap beside it
 * (`chunk.js.map`, as `npm run build` writes them) to the TypeScript source, line and column.
 * The maps are read only here, when a stack is shown: turning on Node's own source-map support
 * (`--enable-source-maps`) would make every run read and parse them at start-up (~10–15 ms, see
 * BENCHMARKS.md). Frames without a readable map stay as they are; it never throws.
 */
export function mapStack(stack: string): string {
  const maps = new Map<string, { map: SourceMap; url: URL } | undefined>();
  const load = (file: string) => {
    if (!maps.has(file)) {
      try {
        const path = file.startsWith('file:') ? fileURLToPath(file) : file;
        const payload = JSON.parse(readFileSync(`${path}.map`, 'utf8')) as SourceMapPayload;
        maps.set(file, { map: new SourceMap(payload), url: pathToFileURL(`${path}.map`) });
      } catch {
        maps.set(file, undefined);
      }
    }
    return maps.get(file);
  };
  return stack.replace(FRAME, (whole, file: string, line: string, col: string) => {
    const found = load(file);
    if (!found) return whole;
    const entry = found.map.findEntry(Number(line) - 1, Number(col) - 1);
    if (!('originalSource' in entry)) return whole;
    const source = fileURLToPath(new URL(entry.originalSource, found.url));
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}
