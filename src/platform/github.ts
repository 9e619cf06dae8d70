import * as core from '@actions/core';
import type { Annotation } from './types.js';
import { BasePlatform, type Writer } from './base.js';
import type { Env } from './context.js';

function props(a?: Annotation): core.AnnotationProperties {
  if (!a) return {};
  return { file: a.file, startLine: a.line, endLine: a.endLine, startColumn: a.col, title: a.title };
}

/**
 * GitHub Actions: workflow commands for annotations, groups and masks; `GITHUB_OUTPUT`,
 * `GITHUB_STATE` and `GITHUB_STEP_SUMMARY` through @actions/core.
 */
export class GitHubPlatform extends BasePlatform {
  readonly name = 'github' as const;

  constructor(
    private readonly env: Env,
    out?: Writer,
  ) {
    super(out, env.RUNNER_DEBUG === '1' || env.ACTIONS_STEP_DEBUG === 'true');
  }

  override debug(message: string): void {
    core.debug(this.redact(message));
  }
  notice(message: string, annotation?: Annotation): void {
    core.notice(this.redact(message), props(annotation));
  }
  warning(message: string, annotation?: Annotation): void {
    core.warning(this.redact(message), props(annotation));
  }
  error(message: string, annotation?: Annotation): void {
    core.error(this.redact(message), props(annotation));
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    return core.group(this.redact(title), fn);
  }
  override setOutput(name: string, value: string | number | boolean): void {
    super.setOutput(name, value);
    core.setOutput(name, String(value));
  }
  override setSecret(value: string): void {
    super.setSecret(value);
    core.setSecret(value);
  }
  override saveState(name: string, value: string): void {
    super.saveState(name, value);
    core.saveState(name, value);
  }
  override getState(name: string): string {
    return super.getState(name) || core.getState(name);
  }
  override async addSummary(markdown: string): Promise<void> {
    if (!this.env.GITHUB_STEP_SUMMARY) return;
    await core.summary.addRaw(this.redact(markdown), true).write();
  }
}
