import { execForm, unquote, words, type Flag, type Instruction } from '../parse.js';
import { parseShell, type Command, type ParsedShell } from '../shell.js';
import type { Finding, RuleOptions, Severity } from '../types.js';

/** What every rule gets: the instructions of one pass (normal or ONBUILD) and the options. */
export interface Pass {
  instructions: Instruction[];
  options: RuleOptions;
  /** true for the pass over unwrapped ONBUILD contents. */
  onbuild: boolean;
  /** ARG defaults declared before the first FROM (for `FROM ${BASE}`). */
  globalArgs: Map<string, string | undefined>;
}

export interface RuleDef {
  code: string;
  severity: Severity;
  message: string;
  /** Also runs over ONBUILD contents. */
  onbuild?: boolean;
  /** Returns the lines that fail. */
  check(pass: Pass): number[];
}

export function finding(rule: RuleDef, line: number, message = rule.message): Finding {
  return { code: rule.code, severity: rule.severity, message, line, column: 1 };
}

/**
 * Lines of the instructions for which `hit` holds. The pass is walked once, in order, so `hit` may
 * keep state from one instruction to the next (the stage it is in, the SHELL set before it).
 */
export function linesWhere(p: Pass, hit: (i: Instruction) => boolean): number[] {
  const lines: number[] = [];
  for (const i of p.instructions) if (hit(i)) lines.push(i.line);
  return lines;
}

const shellCache = new WeakMap<Instruction, RunInfo>();

export interface Mount {
  type: string;
  target: string;
  from?: string;
}

export interface RunInfo {
  exec: boolean;
  shell: ParsedShell;
  mounts: Mount[];
  /** The flags as text, to compare RUNs (DL3059). */
  flagKey: string;
}

const NON_SHELL = /\b(python[\d.]*|node|perl|ruby|php|pwsh|powershell)\b/;

/** The script text of a RUN: shell form, exec form joined, or its heredoc bodies. */
export function runText(instr: Instruction): { text: string; exec: boolean } {
  const exec = execForm(instr.rest);
  if (exec) return { text: exec.join(' '), exec: true };
  if (instr.heredocs.length === 0) return { text: instr.rest, exec: false };
  const command = instr.rest.replace(/(?<!<)<<-?(["']?)[A-Za-z_][A-Za-z0-9_.-]*\1/g, '').trim();
  const parts = command ? [command] : [];
  if (!NON_SHELL.test(command)) {
    for (const h of instr.heredocs) {
      const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(h.body);
      if (shebang && NON_SHELL.test(shebang[0])) continue;
      parts.push(h.body);
    }
  }
  return { text: parts.join('\n'), exec: false };
}

/** Parsed view of a RUN, cached per instruction. */
export function runInfo(instr: Instruction): RunInfo {
  let info = shellCache.get(instr);
  if (!info) {
    const { text, exec } = runText(instr);
    info = {
      exec,
      shell: parseShell(text),
      mounts: instr.flags.filter((f) => f.name === 'mount').map((f) => parseMount(f.value ?? '')),
      flagKey: instr.flags.map((f) => `--${f.name}=${f.value ?? ''}`).join(' '),
    };
    shellCache.set(instr, info);
  }
  return info;
}

function parseMount(value: string): Mount {
  const kv = new Map<string, string>();
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    kv.set((eq < 0 ? part : part.slice(0, eq)).trim(), eq < 0 ? '' : part.slice(eq + 1).trim());
  }
  return {
    type: kv.get('type') ?? 'bind',
    target: kv.get('target') ?? kv.get('dst') ?? kv.get('destination') ?? '',
    from: kv.get('from'),
  };
}

/** A cache or tmpfs mount whose target contains `fragment`. */
export function hasCacheMount(info: RunInfo, fragment: string): boolean {
  return info.mounts.some((m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target.includes(fragment));
}

export function commands(instr: Instruction): Command[] {
  return runInfo(instr).shell.commands;
}

export interface FromInfo {
  platform?: string;
  image: string;
  alias?: string;
}

/** FROM's image, platform flag and alias. */
export function fromInfo(instr: Instruction): FromInfo {
  const w = words(instr.rest);
  const aliasAt = w.findIndex((x) => x.toLowerCase() === 'as');
  return {
    platform: flag(instr.flags, 'platform'),
    image: w[0] ?? '',
    alias: aliasAt > 0 ? w[aliasAt + 1] : undefined,
  };
}

export interface ImageRef {
  registry?: string;
  name: string;
  tag?: string;
  digest?: string;
}

/** Splits `registry/name:tag@digest` the way language-docker does. */
export function parseImage(image: string): ImageRef {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { registry, name: rest, tag, digest };
}

/** Replaces `$X`/`${X}` by global ARG defaults (deliberate difference from hadolint#979). */
export function resolveArgs(text: string, args: Map<string, string | undefined>): string {
  return text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m: string, name: string) => {
    const v = args.get(name);
    return v === undefined ? m : v;
  });
}

export function flag(flags: Flag[], name: string): string | undefined {
  return flags.find((f) => f.name === name)?.value;
}

/** Source and destination words of COPY/ADD (shell or JSON form). */
export function copyArgs(instr: Instruction): { sources: string[]; dest: string } {
  const list = execForm(instr.rest) ?? words(instr.rest);
  return { sources: list.slice(0, -1), dest: list[list.length - 1] ?? '' };
}

export { unquote };

/** Lines of instructions grouped by stage: index 0 holds what comes before the first FROM. */
export interface Stage {
  from?: Instruction;
  info?: FromInfo;
  body: Instruction[];
}

export function stages(instructions: Instruction[]): Stage[] {
  const out: Stage[] = [{ body: [] }];
  for (const i of instructions) {
    if (i.keyword === 'FROM') out.push({ from: i, info: fromInfo(i), body: [] });
    else out[out.length - 1].body.push(i);
  }
  return out;
}

/** Index of the earlier stage a FROM builds on (by alias), if any. */
export function parentStage(all: Stage[], index: number): number | undefined {
  const image = all[index].info?.image;
  if (!image) return undefined;
  for (let j = index - 1; j >= 1; j--) if (all[j].info?.alias === image) return j;
  return undefined;
}

/** A command check lifted to a RUN's command list. */
export const some =
  (pred: (c: Command) => boolean) =>
  (cmds: Command[]): boolean =>
    cmds.some(pred);

/** A command matching `a` appears and no command matching `b` follows its first occurrence. */
/** First index of a command matching `a`, and whether a `b` comes after it. */
export function missingAfter(
  cmds: Command[],
  a: (c: Command) => boolean,
  b: (c: Command) => boolean,
): boolean {
  const first = cmds.findIndex(a);
  if (first < 0) return false;
  return !cmds.slice(first + 1).some(b);
}
