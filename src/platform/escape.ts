/**
 * Writing user text so that no CI system reads it as anything but text.
 *
 * GitHub's runner reads every line a step prints (stdout and stderr) and runs it as a workflow
 * command when, after leading whitespace is trimmed, it starts with `::` (`::add-mask::`,
 * `::stop-commands::`, `::warning title=…::`), or when it holds the legacy `##[name]` form anywhere
 * (actions/runner, src/Runner.Common/ActionCommand.cs: `TryParseV2` trims and tests `StartsWith`;
 * `TryParse` uses `IndexOf("##[")`). The runner splits lines on CR, LF and CRLF.
 */

// What .NET's `TrimStart()` and JavaScript's `\s` call white space, plus the invisible format
// characters some runtimes also trim: a line that starts with these and then `::` is a command.
const LEADING_COMMAND = /^[\s\x85\u180e\u200b\u2060\ufeff]*::/;
const LEGACY_COMMAND = /##\[/g;
const LINE_BREAK = /\r\n|\r|\n/;

/** What a neutralised command-like line starts with: visible, so a reader sees it was quoted. */
export const QUOTED_LINE_PREFIX = '> ';

/**
 * One physical log line made inert: a line that GitHub would read as a workflow command gets
 * {@link QUOTED_LINE_PREFIX} in front, and a legacy `##[` gets a zero-width space between `##`
 * and `[` (invisible, so the rest of the line reads as written). Other lines come back unchanged.
 */
export function inertLine(line: string): string {
  let out = line.includes('##[') ? line.replace(LEGACY_COMMAND, '##\u200b[') : line;
  if (LEADING_COMMAND.test(out)) out = QUOTED_LINE_PREFIX + out;
  return out;
}

/** Text of any number of lines made inert line by line (see {@link inertLine}); breaks become `\n`. */
export function inertText(text: string): string {
  // A command needs `::` or `##[` somewhere: most lines skip the split.
  if (!text.includes('::') && !text.includes('##[')) return text;
  return text.split(LINE_BREAK).map(inertLine).join('\n');
}

/** True when `text` holds a control character (C0, DEL or C1) other than the ones in `allow`. */
export function hasControlChars(text: string, allow = ''): boolean {
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if ((c < 0x20 || (c >= 0x7f && c <= 0x9f)) && !allow.includes(ch)) return true;
  }
  return false;
}
