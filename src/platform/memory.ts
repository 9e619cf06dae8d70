import type { Annotation } from './types.js';
import { BasePlatform, where } from './base.js';
import type { Markdown } from './markdown.js';

export interface RecordedLine {
  level: 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'group';
  message: string;
  annotation?: Annotation;
}

/** For tests: records every line, output, annotation, summary and report instead of printing. */
export class MemoryPlatform extends BasePlatform {
  readonly name = 'memory' as const;
  readonly lines: RecordedLine[] = [];
  readonly summaries: string[] = [];
  readonly reports: { kind: string; path: string }[] = [];

  constructor(debug = true) {
    super(() => undefined, debug);
  }

  private record(level: RecordedLine['level'], message: string, annotation?: Annotation): void {
    this.lines.push({ level, message: this.redact(message), annotation });
  }

  override debug(message: string): void {
    if (this.debugEnabled) this.record('debug', message);
  }
  override info(message: string): void {
    this.record('info', message);
  }
  notice(message: string, annotation?: Annotation): void {
    this.record('notice', message, annotation);
  }
  warning(message: string, annotation?: Annotation): void {
    this.record('warning', message, annotation);
  }
  error(message: string, annotation?: Annotation): void {
    this.record('error', message, annotation);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.record('group', title);
    return fn();
  }
  override async addSummary(markdown: Markdown): Promise<void> {
    this.summaries.push(this.redact(markdown.text));
  }
  override async writeReport(
    kind: Parameters<BasePlatform['writeReport']>[0],
    path: string,
    content: string,
  ) {
    this.reports.push({ kind, path });
    return super.writeReport(kind, path, content);
  }

  /** All recorded text, one line per entry (`level: file:line: message`), for `toContain` assertions. */
  text(): string {
    return this.lines
      .map((l) => {
        const at = where(l.annotation);
        return `${l.level}: ${at ? `${at}: ` : ''}${l.message}`;
      })
      .join('\n');
  }
}
