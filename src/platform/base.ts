import { mkdir, writeFile, appendFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Annotation, Platform, ReportKind } from './types.js';
import { inertText } from './escape.js';
import type { Markdown } from './markdown.js';

export type Writer = (text: string) => void;

/**
 * What every platform shares: the secret filter, state kept in memory and report writing.
 * Subclasses decide how a line, an annotation and a group look.
 */
export abstract class BasePlatform implements Platform {
  abstract readonly name: Platform['name'];
  protected readonly secrets = new Set<string>();
  protected readonly state = new Map<string, string>();
  readonly outputs = new Map<string, string>();
  /** Variables exported for later steps (`exportVariable`). */
  readonly exported = new Map<string, string>();

  constructor(
    protected readonly out: Writer = (t) => process.stdout.write(t),
    protected readonly debugEnabled = false,
  ) {}

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join('***');
    return result;
  }

  /**
   * Writes log text, one or more lines. Every line that may carry user text goes through here (or
   * `inertText` where a platform writes elsewhere), so none can become a GitHub workflow command.
   */
  protected line(text: string): void {
    this.out(inertText(this.redact(text)) + '\n');
  }

  setSecret(value: string): void {
    // Mask each line of a multi-line secret too, as GitHub does; very short values would mask noise.
    for (const part of [value, ...value.split(/\r?\n/)]) {
      if (part.trim().length >= 3) this.secrets.add(part);
    }
  }

  isDebug(): boolean {
    return this.debugEnabled;
  }

  debug(message: string): void {
    if (this.debugEnabled) this.line(`[debug] ${message}`);
  }

  info(message: string): void {
    this.line(message);
  }

  abstract notice(message: string, annotation?: Annotation): void;
  abstract warning(message: string, annotation?: Annotation): void;
  abstract error(message: string, annotation?: Annotation): void;
  abstract group<T>(title: string, fn: () => Promise<T>): Promise<T>;

  setOutput(name: string, value: string | number | boolean): void {
    this.outputs.set(name, String(value));
  }

  exportVariable(name: string, value: string): void {
    this.exported.set(name, value);
  }

  saveState(name: string, value: string): void {
    this.state.set(name, value);
  }

  getState(name: string): string {
    return this.state.get(name) ?? '';
  }

  async addSummary(_markdown: Markdown): Promise<void> {}

  async writeReport(_kind: ReportKind, path: string, content: string): Promise<string> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    return path;
  }
}

export async function appendLine(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, text);
}

/** `file:line:col` for human output, leaving out what is unknown. */
export function where(a?: Annotation): string {
  if (!a?.file) return '';
  return a.file + (a.line ? `:${a.line}` : '') + (a.line && a.col ? `:${a.col}` : '');
}
