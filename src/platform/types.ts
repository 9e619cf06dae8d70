import type { Markdown } from './markdown.js';

/** Where a message points in the user's files (GitHub turns it into an annotation). */
export interface Annotation {
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  title?: string;
}

/** Report files a step can produce; GitLab picks them up as artifacts:reports. */
export type ReportKind = 'codequality' | 'junit' | 'json' | 'sarif' | 'other';

/** A step's inputs, by the names in its `action.yml`. Repeated CLI flags arrive newline-joined. */
export interface InputSource {
  get(name: string): string | undefined;
}

/**
 * What a step may do to the CI system around it. One implementation per front end (GitHub Actions,
 * GitLab CI, the local CLI) and an in-memory one for tests. Every log line passes through the
 * secret filter, whatever the platform.
 */
export interface Platform {
  readonly name: 'github' | 'gitlab' | 'local' | 'memory';
  debug(message: string): void;
  info(message: string): void;
  notice(message: string, annotation?: Annotation): void;
  warning(message: string, annotation?: Annotation): void;
  error(message: string, annotation?: Annotation): void;
  /** Runs `fn` inside a foldable log section. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  setOutput(name: string, value: string | number | boolean): void;
  /** Hides `value` from every later log line (and registers it with the CI system where it can mask). */
  setSecret(value: string): void;
  /** Carries a value from the main step to the post step (GitHub) or a later call (others: in memory). */
  saveState(name: string, value: string): void;
  getState(name: string): string;
  /**
   * Sets an environment variable for the later steps of the job (GitHub's `GITHUB_ENV` file); recorded
   * in memory elsewhere, where no later step of the same job reads it.
   */
  exportVariable(name: string, value: string): void;
  /** Appends Markdown (built with `safeMd`, so user text in it is escaped) to the job summary (GitHub), or to `SHIPKIT_SUMMARY` when set elsewhere. */
  addSummary(markdown: Markdown): Promise<void>;
  /** Writes a report file and makes it known to the CI system; returns its path. */
  writeReport(kind: ReportKind, path: string, content: string): Promise<string>;
  /** Redacts every registered secret from `text`. */
  redact(text: string): string;
  isDebug(): boolean;
}
