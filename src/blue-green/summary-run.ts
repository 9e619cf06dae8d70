/** Writes the job summary at the end of a command, also when it failed (see `summary.ts`). */
import type { Ctx } from './context.js';
import { statusReport, type CommandResult } from './commands.js';
import { loadState } from './state.js';
import { publishSummary, renderSummary } from './summary.js';

interface SummaryInputs {
  command: string;
  options: { format: 'text' | 'json' };
  summary: { file: string; given: boolean };
}

/**
 * Renders and publishes the summary of the command that ran with `c`. After a failure the status is
 * read again without the lock (it only reads). A summary that cannot be written is a warning: it
 * never fails a command or hides the error a command failed with.
 */
export async function writeSummary(
  c: Ctx,
  inputs: SummaryInputs,
  result: CommandResult | undefined,
  error?: unknown,
): Promise<void> {
  if (!c.journal) return;
  try {
    const status =
      result?.status ??
      (await statusReport(c, await loadState(c.s.stateDir, c.s.name, c.s.lb)).catch(() => undefined));
    const md = renderSummary({
      command: inputs.command,
      name: c.s.name,
      lb: c.s.lb,
      replicas: c.s.replicas,
      outcome: error === undefined ? 'ok' : 'failed',
      error: error === undefined ? undefined : error instanceof Error ? error.message : JSON.stringify(error),
      status,
      journal: c.journal,
      totalMs: c.journal.elapsed(),
    });
    await publishSummary(c.platform, md, {
      ...inputs.summary,
      log: inputs.command !== 'status',
    });
  } catch (err: unknown) {
    c.platform.warning(`job summary not written: ${(err as Error).message}`);
  }
}
