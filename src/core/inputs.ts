import { UserError } from './errors.js';
import type { InputSource } from '../platform/types.js';

const TRUE = new Set(['true', 'yes', '1', 'on']);
const FALSE = new Set(['false', 'no', '0', 'off']);
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gib: 1024 ** 3,
};

/**
 * Typed access to a step's inputs. Every error is a `UserError` that names the input and what it
 * accepts, so `getInputs()` is the only place that validates. Empty strings count as "not given",
 * as GitHub passes every declared input, given or not.
 */
export class InputReader {
  constructor(private readonly source: InputSource) {}

  private fail(name: string, message: string): never {
    throw new UserError(message, { field: `input "${name}"` });
  }

  /** The raw value, trimmed; `undefined` when absent or empty. */
  optional(name: string): string | undefined {
    const value = this.source.get(name)?.trim();
    return value ? value : undefined;
  }

  /** The value exactly as given (not trimmed), e.g. a separator such as `", "`; undefined when empty. */
  raw(name: string): string | undefined {
    const value = this.source.get(name);
    return value ? value : undefined;
  }

  string(name: string, fallback?: string): string {
    const value = this.optional(name) ?? fallback;
    if (value === undefined) this.fail(name, 'is required');
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.optional(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (TRUE.has(value)) return true;
    if (FALSE.has(value)) return false;
    this.fail(name, `expected true or false, got "${value}"`);
  }

  int(name: string, fallback: number, { min = -Infinity, max = Infinity } = {}): number {
    const value = this.optional(name);
    if (value === undefined) return fallback;
    // Plain decimal digits only: Number() also takes `1e3`, `0x10` and `1.0`, which nobody means as a port.
    const n = /^[+-]?\d{1,15}$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n)) this.fail(name, `expected a whole number, got "${value}"`);
    if (n < min || n > max) this.fail(name, `expected a number from ${min} to ${max}, got ${n}`);
    return n;
  }

  number(name: string, fallback: number, { min = -Infinity, max = Infinity } = {}): number {
    const value = this.optional(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n)) this.fail(name, `expected a number, got "${value}"`);
    if (n < min || n > max) this.fail(name, `expected a number from ${min} to ${max}, got ${n}`);
    return n;
  }

  /** One of `values` (case-insensitive); returns the canonical spelling. */
  choice<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const value = this.optional(name);
    if (value === undefined) return fallback;
    const hit = values.find((v) => v.toLowerCase() === value.toLowerCase());
    if (!hit) this.fail(name, `unknown value "${value}" (expected one of: ${values.join(', ')})`);
    return hit;
  }

  /**
   * A duration such as `90s`, `2m`, `500ms` or a bare number of seconds; returns milliseconds.
   * `positive: true` refuses zero (a timeout of 0 can only fail, after side effects).
   */
  duration(name: string, fallbackMs: number, { positive = false } = {}): number {
    const value = this.optional(name);
    if (value === undefined) return fallbackMs;
    const ms = parseDuration(value);
    if (ms === undefined) this.fail(name, `expected a duration such as 30s, 2m or 500ms, got "${value}"`);
    if (positive && ms <= 0) this.fail(name, `must be more than 0, got "${value}"`);
    return ms;
  }

  /** A size such as `15MB`, `200KiB` or a bare number of bytes; returns bytes. */
  size(name: string): number | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    const bytes = parseSize(value);
    if (bytes === undefined) this.fail(name, `expected a size such as 15MB or 512KiB, got "${value}"`);
    return bytes;
  }

  /** Items separated by newlines or commas, trimmed, empties and `#` comment lines dropped. */
  list(name: string): string[] {
    return splitList(this.optional(name) ?? '', /[\n,]/);
  }

  /** Items separated by newlines only (values may contain commas, as in metadata-action's `tags`). */
  lines(name: string): string[] {
    return splitList(this.optional(name) ?? '', /\n/);
  }

  /** `key=value` pairs, one per line or comma-separated. */
  map(name: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const item of this.list(name)) {
      const eq = item.indexOf('=');
      if (eq <= 0) this.fail(name, `expected key=value, got "${item}"`);
      out[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
    }
    return out;
  }
}

function splitList(text: string, sep: RegExp): string[] {
  return text
    .split(sep)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'));
}

/** Parses `90s`, `2m`, `1h`, `500ms` or a bare number of seconds into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * DURATION_UNITS[(m[2] ?? 's').toLowerCase()]);
}

/** Parses `15MB`, `512KiB`, `1.5G` or a bare number of bytes (decimal units, binary with `i`). */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = SIZE_UNITS[(m[2] || 'b').toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}

/** An input source over a plain object (tests, the all-in-one action, programmatic use). */
export function inputsFrom(values: Record<string, string | number | boolean | undefined>): InputSource {
  return { get: (name) => (values[name] === undefined ? undefined : String(values[name])) };
}
