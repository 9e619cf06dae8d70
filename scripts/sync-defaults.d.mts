/** Types of scripts/sync-defaults.mjs for test/interface.test.ts. */
import type { StepInterface } from '../src/core/interface.js';
import type { PassThrough } from './check-interface.mjs';
export const GENERATED: RegExp;
export function jenkinsPassThroughs(root: string): PassThrough[];
export function expectedFiles(
  rows: PassThrough[],
  interfaces: Record<string, StepInterface>,
  root: string,
): { files: { file: string; existing: string; content: string }[]; problems: string[] };
export function syncDefaults(options?: { check?: boolean }): { stale: string[]; problems: string[] };
