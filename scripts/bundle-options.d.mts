// Types for scripts/bundle-options.mjs.
import type { BuildOptions, BuildResult } from 'esbuild';
export function bundleOptions(): BuildOptions;
export function runtimeFiles(root: string): string[];
export function buildBundles(
  root: string,
  outdir: string,
  steps: string[],
): Promise<BuildResult<{ metafile: true }>>;
