import { UserError } from '../core/errors.js';
import type { CliSpec } from '../core/step.js';
import { closest } from './help.js';
import type { InputSource } from '../platform/types.js';

/**
 * Turns `--name value`, `--name=value`, aliases, switches and positional arguments into an input
 * source keyed by input name. A repeated flag or a variadic positional joins its values with newlines,
 * the way GitHub passes a multi-line input.
 */
export function parseArgs(
  argv: readonly string[],
  inputNames: readonly string[],
  spec: CliSpec,
): InputSource {
  const known = new Set(inputNames);
  const switches = new Set(spec.switches ?? []);
  const values = new Map<string, string[]>();
  const positional: string[] = [];
  const add = (name: string, value: string) => values.set(name, [...(values.get(name) ?? []), value]);

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const name = spec.aliases?.[flag] ?? (flag.startsWith('--') ? flag.slice(2) : undefined);
    if (!name || !known.has(name)) {
      const flags = [...inputNames.map((n) => `--${n}`), ...Object.keys(spec.aliases ?? {})];
      const guess = flag.startsWith('--') ? closest(flag, flags) : undefined;
      const hint = guess ? `; did you mean ${guess}?` : '';
      throw new UserError(`unknown option ${flag}${hint} (see --help)`, { field: 'command line' });
    }
    if (switches.has(name)) {
      // `--failover` alone means true; `--failover false` (as CI templates write it) is accepted too.
      if (eq > 0) add(name, arg.slice(eq + 1));
      else if (/^(true|false)$/i.test(argv[i + 1] ?? '')) add(name, argv[++i]);
      else add(name, 'true');
    } else if (eq > 0) {
      add(name, arg.slice(eq + 1));
    } else {
      if (i + 1 >= argv.length)
        throw new UserError(`option ${flag} needs a value`, { field: 'command line' });
      add(name, argv[++i]);
    }
  }

  const slots = spec.positional ?? [];
  if (positional.length > 0 && slots.length === 0) {
    throw new UserError(`unexpected argument "${positional[0]}" (see --help)`, { field: 'command line' });
  }
  positional.forEach((value, i) => add(slots[Math.min(i, slots.length - 1)], value));
  return { get: (name) => values.get(name)?.join('\n') };
}
