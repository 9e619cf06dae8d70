// Types for scripts/bundle-options.mjs.
import type { BuildOptions } from 'esbuild';
export function bundleOptions(): BuildOptions;
