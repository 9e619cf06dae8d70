/** Where a user error points: a file and, where known, a line, column and field. */
export interface Location {
  file?: string;
  line?: number;
  col?: number;
  field?: string;
}

/**
 * Bad input or configuration. Reported as one line (no stack), with `file:line: field:` in front
 * where known; the CLI exits 2. Throw it only for things the user can fix.
 */
export class UserError extends Error {
  readonly location: Location;
  constructor(message: string, location: Location = {}) {
    super(message);
    this.name = 'UserError';
    this.location = location;
  }

  /** `file:line:col: field: message`, leaving out what is unknown. */
  override toString(): string {
    return formatLocated(this.message, this.location);
  }
}

/**
 * The step ran correctly and found a problem (lint findings over the threshold, a failed smoke check,
 * an image over budget). The CLI exits 1; the message says what was expected and what was seen.
 */
export class StepFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepFailure';
  }
}

export function formatLocated(message: string, { file, line, col, field }: Location): string {
  let where = file ?? '';
  if (file && line) where += `:${line}`;
  if (file && line && col) where += `:${col}`;
  const prefix = [where, field].filter(Boolean).join(': ');
  return prefix ? `${prefix}: ${message}` : message;
}

/** The message of anything thrown, including non-`Error` values (a thrown string must not pass silently). */
export function errorMessage(err: unknown): string {
  if (err instanceof UserError) return err.toString();
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return `non-error thrown: ${JSON.stringify(err)}`;
  } catch {
    return `non-error thrown: ${String(err)}`;
  }
}
