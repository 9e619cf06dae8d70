import type { Annotation, ReportKind } from './types.js';
import { appendLine, BasePlatform, where, type Writer } from './base.js';
import { inertText } from './escape.js';
import type { Markdown } from './markdown.js';
import type { Env } from './context.js';

let sectionSeq = 0;

/** Name of an output in the dotenv report: `SHIPKIT_<STEP>_<OUTPUT>`, upper case, `_` for the rest. */
export function dotenvName(step: string, output: string): string {
  return `SHIPKIT_${step}_${output}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/**
 * GitLab CI: collapsible sections, outputs appended to a dotenv report (`SHIPKIT_DOTENV`, default
 * `shipkit.env`) for `artifacts:reports:dotenv`, and report files written where the job's
 * `artifacts:reports` expects them. GitLab cannot mask at run time, so secrets are only redacted.
 */
export class GitLabPlatform extends BasePlatform {
  readonly name = 'gitlab' as const;
  // Appends run one after another, so outputs land in the file in the order they were set.
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly env: Env,
    private readonly step: string,
    out?: Writer,
  ) {
    super(out, env.CI_DEBUG_TRACE === 'true' || env.SHIPKIT_DEBUG === '1');
  }

  notice(message: string, annotation?: Annotation): void {
    this.line(`${prefix(annotation)}\x1b[36mnotice\x1b[0m ${message}`);
  }
  warning(message: string, annotation?: Annotation): void {
    this.line(`${prefix(annotation)}\x1b[33mwarning\x1b[0m ${message}`);
  }
  error(message: string, annotation?: Annotation): void {
    this.line(`${prefix(annotation)}\x1b[31merror\x1b[0m ${message}`);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    const id = `shipkit_${++sectionSeq}`;
    const now = () => Math.floor(Date.now() / 1000);
    // A title is one line: a break in it would end the section marker early.
    const heading = inertText(this.redact(title).replace(/[\r\n]+/g, ' '));
    this.out(`\x1b[0Ksection_start:${now()}:${id}[collapsed=false]\r\x1b[0K${heading}\n`);
    try {
      return await fn();
    } finally {
      this.out(`\x1b[0Ksection_end:${now()}:${id}\r\x1b[0K\n`);
    }
  }
  override setOutput(name: string, value: string | number | boolean): void {
    super.setOutput(name, value);
    // dotenv reports hold one line per variable: keep newlines as the two characters `\n`.
    const text = String(value).replace(/\r?\n/g, '\\n');
    const file = this.env.SHIPKIT_DOTENV || 'shipkit.env';
    this.pending = this.pending.then(() => appendLine(file, `${dotenvName(this.step, name)}=${text}\n`));
  }
  override async addSummary(markdown: Markdown): Promise<void> {
    if (this.env.SHIPKIT_SUMMARY)
      await appendLine(this.env.SHIPKIT_SUMMARY, this.redact(markdown.text) + '\n');
  }
  override async writeReport(kind: ReportKind, path: string, content: string): Promise<string> {
    const written = await super.writeReport(kind, path, content);
    this.info(`report (${kind}) written to ${written}`);
    return written;
  }
  /** Waits for output writes; the runner calls it before exit. */
  async flush(): Promise<void> {
    await this.pending;
  }
}

function prefix(a?: Annotation): string {
  const w = where(a);
  return w ? `${w}: ` : '';
}
