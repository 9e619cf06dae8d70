import type { InputSpec } from '../core/interface.js';
import type { Step } from '../core/step.js';

/**
 * The `SHIPKIT_*` variables shipkit reads (outside GitHub and GitLab, which name their own), for
 * `shipkit --help` and README.md. test/cli-help.test.ts fails when the code reads one not listed here.
 */
export const CLI_ENVIRONMENT: Readonly<Record<string, string>> = {
  SHIPKIT_OUTPUT: 'file that receives each output as a name=value line (pass outputs between CI stages)',
  SHIPKIT_SUMMARY: 'file that receives the Markdown job summary',
  SHIPKIT_DOTENV: 'GitLab: the dotenv report file the outputs go to (default shipkit.env)',
  SHIPKIT_DEBUG: '1 prints debug lines (stack traces, requests)',
  SHIPKIT_SHA: 'commit sha outside CI (meta, notify, stack names)',
  SHIPKIT_BRANCH: 'branch name outside CI',
  SHIPKIT_REF: 'full Git ref outside CI (meta; default refs/heads/<SHIPKIT_BRANCH>)',
  SHIPKIT_EVENT: 'event name outside CI (meta; default push)',
  SHIPKIT_COMMIT_TITLE: 'commit title outside CI (notify)',
  SHIPKIT_RUN_ID: 'run id outside CI (default random per call)',
};

const WIDTH = 100;
const GROUPS: readonly [InputSpec['group'], string][] = [
  ['required', 'Required'],
  ['common', 'Options'],
  ['advanced', 'Advanced'],
];

function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

/** `<value>`, `<n>`, `<a|b|c>` … as the flag's argument; nothing for a switch. */
function argument(spec: InputSpec, isSwitch: boolean): string {
  if (isSwitch) return '';
  if (spec.options) return ` <${spec.options.join('|')}>`;
  const shown: Partial<Record<InputSpec['type'], string>> = {
    boolean: '<true|false>',
    number: '<n>',
    duration: '<duration>',
    size: '<size>',
    list: '<item>…',
  };
  return ` ${shown[spec.type] ?? '<value>'}`;
}

/** What follows the description: default (never for a secret), environment fallback. */
function facts(spec: InputSpec): string {
  const out: string[] = [];
  if (spec.default !== undefined && !spec.secret) {
    const d = spec.default.startsWith('${{')
      ? 'the workflow token (GitHub only)'
      : JSON.stringify(spec.default);
    out.push(`Default: ${d}.`);
  }
  if (spec.env) out.push(`Environment: ${spec.env}.`);
  if (spec.secret) out.push('Secret: masked in every log.');
  return out.join(' ');
}

/** `shipkit <step> --help`: every flag with its description, default and allowed values, by group. */
export function stepUsage(step: Step): string {
  const switches = new Set(step.cli.switches ?? []);
  const lines = [`Usage: shipkit ${step.name} ${step.cli.usage ?? '[options]'}`, '', step.summary];
  for (const [group, title] of GROUPS) {
    const names = step.inputNames.filter((n) => (step.iface.inputs[n]?.group ?? 'common') === group);
    if (!names.length) continue;
    lines.push('', `${title}:`);
    for (const name of names) {
      const spec = step.iface.inputs[name];
      lines.push(`  --${name}${spec ? argument(spec, switches.has(name)) : ' <value>'}`);
      if (spec) lines.push(...wrap(`${spec.description} ${facts(spec)}`, '      '));
    }
  }
  const aliases = Object.entries(step.cli.aliases ?? {}).map(([a, n]) => `  ${a} = --${n}`);
  if (aliases.length) lines.push('', 'Aliases:', ...aliases);
  const positional = step.cli.positional ?? [];
  if (positional.length)
    lines.push(
      '',
      `Arguments: ${positional.map((p) => `<${p}>`).join(' ')} (the same as --${positional.join(', --')})`,
    );
  return lines.join('\n');
}

/** The environment section of `shipkit --help`. */
export function environmentUsage(): string[] {
  const width = Math.max(...Object.keys(CLI_ENVIRONMENT).map((n) => n.length));
  return Object.entries(CLI_ENVIRONMENT).map(([n, text]) => `  ${n.padEnd(width)}  ${text}`);
}

/** Edit distance (insert, delete, substitute, swap of neighbours), for "did you mean". */
export function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/**
 * The known word closest to `word`, when it is close enough to be a typo (at most a third of its
 * letters wrong, and at least one); a word that starts a known one (`--lb-im`) counts as close.
 */
export function closest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = name.startsWith(w) && w.length >= 3 ? 0.5 : distance(w, name.toLowerCase());
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(1, Math.floor(w.length / 3)) ? best.name : undefined;
}
