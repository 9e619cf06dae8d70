import type { Annotation } from './types.js';
import { appendLine, BasePlatform, where, type Writer } from './base.js';
import { inertText } from './escape.js';
import type { Markdown } from './markdown.js';
import type { Env } from './context.js';

/**
 * The local CLI: human output with colour on a terminal. Outputs go to `SHIPKIT_OUTPUT` as
 * `name=value` lines when it is set (handy for scripts), else they are printed in debug mode.
 */
export class LocalPlatform extends BasePlatform {
  readonly name = 'local' as const;
  // Appends run one after another, so outputs land in the file in the order they were set.
  private pending: Promise<void> = Promise.resolve();
  private depth = 0;

  constructor(
    private readonly env: Env,
    out?: Writer,
    private readonly err: Writer = (t) => process.stderr.write(t),
    private readonly colour = process.stdout.isTTY === true && !env.NO_COLOR,
  ) {
    super(out, env.SHIPKIT_DEBUG === '1');
  }

  private paint(code: string, text: string): string {
    return this.colour ? `\x1b[${code}m${text}\x1b[0m` : text;
  }
  private toErr(label: string, message: string, a?: Annotation): void {
    const w = where(a);
    this.err(inertText(this.redact(`${w ? w + ': ' : ''}${label} ${message}`)) + '\n');
  }
  override info(message: string): void {
    this.line('  '.repeat(this.depth) + message);
  }
  notice(message: string, a?: Annotation): void {
    this.toErr(this.paint('36', 'notice:'), message, a);
  }
  warning(message: string, a?: Annotation): void {
    this.toErr(this.paint('33', 'warning:'), message, a);
  }
  error(message: string, a?: Annotation): void {
    this.toErr(this.paint('31', 'error:'), message, a);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.line('  '.repeat(this.depth) + this.paint('1', `▸ ${title}`));
    this.depth++;
    try {
      return await fn();
    } finally {
      this.depth--;
    }
  }
  override setOutput(name: string, value: string | number | boolean): void {
    super.setOutput(name, value);
    const file = this.env.SHIPKIT_OUTPUT;
    if (file) {
      const text = String(value);
      const delim = `ghadelimiter_${Math.random().toString(36).slice(2)}`;
      const entry = text.includes('\n') ? `${name}<<${delim}\n${text}\n${delim}\n` : `${name}=${text}\n`;
      this.pending = this.pending.then(() => appendLine(file, entry));
    } else {
      this.debug(`output ${name}=${String(value)}`);
    }
  }
  override async addSummary(markdown: Markdown): Promise<void> {
    if (this.env.SHIPKIT_SUMMARY)
      await appendLine(this.env.SHIPKIT_SUMMARY, this.redact(markdown.text) + '\n');
  }
  async flush(): Promise<void> {
    await this.pending;
  }
}
