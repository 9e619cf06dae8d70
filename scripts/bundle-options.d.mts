// Types for scripts/bundle-options.mjs.
import type { BuildOptions } from 'esbuild';
export function bundleOptions(): BuildOptions;
export function buildBundles(root: string, outdir: string, steps: string[]): Promise<void>;
