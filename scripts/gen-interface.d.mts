/** Types of scripts/gen-interface.mjs for test/interface.test.ts. */
import type { StepInterface } from '../src/core/interface.js';
export function stepNames(): string[];
export function readInterface(step: string): StepInterface;
export function inferType(spec: { default?: unknown; description?: string }): string;
export function renderModule(step: string): Promise<string>;
export function expectedModules(): Promise<
  { step: string; path: string; existing?: string; content: string }[]
>;
