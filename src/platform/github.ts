import { appendFileSync } from 'node:fs';
import type { Annotation } from './types.js';
import { appendLine, BasePlatform, type Writer } from './base.js';
import type { Env } from './context.js';
import type { Markdown } from './markdown.js';

/** The workflow commands shipkit issues on purpose; nothing else is ever written as one. */
type Command = 'error' | 'warning' | 'notice' | 'debug' | 'group' | 'endgroup' | 'add-mask' | 'set-output' | 'save-state'; // prettier-ignore

// GitHub's escaping (actions/toolkit, packages/core/src/command.ts): the data cannot hold a line
// break, a property cannot hold the `::` or `,` that end it.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function props(a?: Annotation): Record<string, string | number | undefined> {
  if (!a) return {};
  return { title: a.title, file: a.file, line: a.line, endLine: a.endLine, col: a.col };
}

/**
 * GitHub Actions. Every byte goes through one writer: log lines from `BasePlatform.line` (made
 * inert, so user text never starts a workflow command) and the commands shipkit means, built here
 * with GitHub's escaping. Outputs, state and the job summary go to the files GitHub names in
 * `GITHUB_OUTPUT`, `GITHUB_STATE` and `GITHUB_STEP_SUMMARY`.
 */
export class GitHubPlatform extends BasePlatform {
  readonly name = 'github' as const;

  constructor(
    private readonly env: Env,
    out?: Writer,
  ) {
    super(out, env.RUNNER_DEBUG === '1' || env.ACTIONS_STEP_DEBUG === 'true');
  }

  /** `::name k=v,…::data`: the only way a line starting with `::` is written. */
  private command(name: Command, data: string, properties: Record<string, string | number | undefined> = {}) {
    const list = Object.entries(properties)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
      .join(',');
    this.out(`::${name}${list ? ` ${list}` : ''}::${escapeData(data)}\n`);
  }

  override debug(message: string): void {
    this.command('debug', this.redact(message));
  }
  notice(message: string, annotation?: Annotation): void {
    this.command('notice', this.redact(message), this.redactAll(props(annotation)));
  }
  warning(message: string, annotation?: Annotation): void {
    this.command('warning', this.redact(message), this.redactAll(props(annotation)));
  }
  error(message: string, annotation?: Annotation): void {
    this.command('error', this.redact(message), this.redactAll(props(annotation)));
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.command('group', this.redact(title));
    try {
      return await fn();
    } finally {
      this.command('endgroup', '');
    }
  }
  override setOutput(name: string, value: string | number | boolean): void {
    super.setOutput(name, value);
    this.fileCommand('GITHUB_OUTPUT', 'set-output', name, String(value));
  }
  override setSecret(value: string): void {
    super.setSecret(value);
    // Each line too, as GitHub's docs advise for multi-line secrets.
    for (const part of new Set([value, ...value.split(/\r\n|\r|\n/)]))
      if (part.trim().length >= 3) this.command('add-mask', part);
  }
  override saveState(name: string, value: string): void {
    super.saveState(name, value);
    this.fileCommand('GITHUB_STATE', 'save-state', name, value);
  }
  override exportVariable(name: string, value: string): void {
    super.exportVariable(name, value);
    // No stdout fallback: GitHub disabled the `set-env` command (CVE-2020-15228).
    if (this.env.GITHUB_ENV) this.fileCommand('GITHUB_ENV', 'set-output', name, value);
  }
  override getState(name: string): string {
    return super.getState(name) || (this.env[`STATE_${name}`] ?? '');
  }
  override async addSummary(markdown: Markdown): Promise<void> {
    const file = this.env.GITHUB_STEP_SUMMARY;
    if (file) await appendLine(file, this.redact(markdown.text) + '\n');
  }

  private redactAll<T extends Record<string, string | number | undefined>>(p: T): T {
    const out: Record<string, string | number | undefined> = {};
    for (const [k, v] of Object.entries(p)) out[k] = typeof v === 'string' ? this.redact(v) : v;
    return out as T;
  }

  /**
   * `name<<delimiter` blocks in the file GitHub names (actions/toolkit's `prepareKeyValueMessage`),
   * or the deprecated stdout command where the runner gives no file.
   */
  private fileCommand(
    variable: 'GITHUB_OUTPUT' | 'GITHUB_STATE' | 'GITHUB_ENV',
    fallback: Command,
    name: string,
    value: string,
  ): void {
    const file = this.env[variable];
    if (!file) return this.command(fallback, value, { name });
    // A value that holds the delimiter is refused below, so the delimiter needs to be unlikely, not
    // secret: a guess can only fail the step, never end the block early. Math.random instead of
    // node:crypto's randomUUID (as @actions/core): loading node:crypto costs ~3 ms of CPU, paid by every
    // run that sets an output, and at start-up by every action with a post step (it saves `isPost`).
    const random = () => Math.random().toString(36).slice(2, 12).padEnd(10, '0');
    const delimiter = `ghadelimiter_${random()}${random()}`;
    if (name.includes(delimiter) || value.includes(delimiter))
      throw new Error(`${variable}: ${name} holds its own delimiter`);
    appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
  }
}
