import { InputReader } from './inputs.js';
import { UserError } from './errors.js';
import type { InputSource } from '../platform/types.js';

/** How an input's value is read; generated from action.yml by scripts/gen-interface.mjs. */
export type InputType = 'string' | 'boolean' | 'number' | 'duration' | 'size' | 'list' | 'choice';

/** One input as action.yml declares it (plus the `# shipkit:` hints on its key line). */
export interface InputSpec {
  readonly type: InputType;
  readonly description: string;
  /** The action.yml default, as GitHub passes it; absent when the input has none. */
  readonly default?: string;
  readonly options?: readonly string[];
  readonly required: boolean;
  /** Masked in logs and never shown as a value. */
  readonly secret: boolean;
  /** Section of `shipkit <step> --help`. */
  readonly group: 'required' | 'common' | 'advanced';
  /** Environment variable read by the inputs layer when the input is empty. */
  readonly env?: string;
  /** No default in action.yml: the step computes it from other inputs (a pass-through leaves it empty). */
  readonly computed?: boolean;
}

/** A step's interface, generated into src/generated/<step>.ts from actions/<step>/action.yml. */
export interface StepInterface {
  readonly name: string;
  readonly description: string;
  readonly inputs: Readonly<Record<string, InputSpec>>;
  readonly outputs: Readonly<Record<string, { readonly description: string }>>;
}

/** A default GitHub evaluates (`${{ github.token }}`): a value only inside GitHub, never elsewhere. */
export function isExpression(value: string): boolean {
  return value.startsWith('${{');
}

/** The default the inputs layer applies: the action.yml default, unless it is a GitHub expression. */
export function defaultOf(spec: InputSpec | undefined): string | undefined {
  return spec?.default === undefined || isExpression(spec.default) ? undefined : spec.default;
}

/** Every input's usable default as strings, keyed by name (the all-in-one action, the docs). */
export function defaultsOf(iface: StepInterface): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(iface.inputs))
    if (spec.default !== undefined) out[name] = spec.default;
  return out;
}

type Names<I extends StepInterface> = keyof I['inputs'] & string;
type Options<I extends StepInterface, N extends Names<I>> = I['inputs'][N] extends {
  readonly options: readonly (infer O)[];
}
  ? O
  : string;

/**
 * Reads one step's inputs with the defaults of its action.yml, so step code never writes a default:
 * an empty input takes the action.yml default, exactly as GitHub does for an action. A default that
 * depends on another input (blue-green `lb-image`, `preview-port`) is not in action.yml; the code
 * passes it as `computed`, which is refused for an input that has an action.yml default (a second,
 * hand-written default is the drift this layer exists to prevent).
 */
export class StepReader<I extends StepInterface> {
  private readonly r: InputReader;

  constructor(
    private readonly given: InputReader,
    readonly iface: I,
  ) {
    const source: InputSource = {
      get: (name) => {
        const value = given.raw(name);
        return value !== undefined && value.trim() !== '' ? value : defaultOf(iface.inputs[name]);
      },
    };
    this.r = new InputReader(source);
  }

  private spec(name: string): InputSpec {
    const spec = this.iface.inputs[name];
    // A programming error, not bad input: the code names an input its action.yml does not declare.
    if (!spec) throw new Error(`input "${name}" is not declared in actions/${this.iface.name}/action.yml`);
    return spec;
  }

  private computed<T>(name: string, value: T | undefined): T | undefined {
    if (value !== undefined && this.spec(name).default !== undefined)
      throw new Error(
        `input "${name}" has its default in actions/${this.iface.name}/action.yml; do not repeat it`,
      );
    return value;
  }

  private required(name: string): never {
    throw new UserError('is required', { field: `input "${name}"` });
  }

  /** Whether the caller gave the input (a default does not count). */
  isGiven(name: Names<I>): boolean {
    return this.given.optional(this.spec(name) && name) !== undefined;
  }

  /** The value, or its default, trimmed; undefined when neither. */
  optional(name: Names<I>): string | undefined {
    this.spec(name);
    return this.r.optional(name);
  }

  /** The value exactly as given (not trimmed), or its default. */
  raw(name: Names<I>): string | undefined {
    this.spec(name);
    return this.r.raw(name);
  }

  string(name: Names<I>, computed?: string): string {
    return this.r.string(name, this.computed(name, computed));
  }

  bool(name: Names<I>, computed?: boolean): boolean {
    const fallback = this.computed(name, computed);
    if (this.optional(name) === undefined && fallback === undefined) this.required(name);
    return this.r.bool(name, fallback ?? false);
  }

  int(name: Names<I>, range: { min?: number; max?: number } = {}, computed?: number): number {
    const fallback = this.computed(name, computed);
    if (this.optional(name) === undefined && fallback === undefined) this.required(name);
    return this.r.int(name, fallback ?? 0, range);
  }

  number(name: Names<I>, range: { min?: number; max?: number } = {}, computed?: number): number {
    const fallback = this.computed(name, computed);
    if (this.optional(name) === undefined && fallback === undefined) this.required(name);
    return this.r.number(name, fallback ?? 0, range);
  }

  /** One of the input's `choice=` values in action.yml (case-insensitive), in its canonical spelling. */
  choice<N extends Names<I>>(name: N, computed?: Options<I, N>): Options<I, N> {
    const options = this.spec(name).options;
    if (!options)
      throw new Error(`input "${name}" has no choice= hint in actions/${this.iface.name}/action.yml`);
    const fallback = this.computed(name, computed);
    if (this.optional(name) === undefined && fallback === undefined) this.required(name);
    return this.r.choice(name, options, (fallback as string | undefined) ?? options[0]) as Options<I, N>;
  }

  /** A duration in milliseconds (see `InputReader.duration`). */
  duration(name: Names<I>, opts: { positive?: boolean } = {}, computed?: number): number {
    const fallback = this.computed(name, computed);
    if (this.optional(name) === undefined && fallback === undefined) this.required(name);
    return this.r.duration(name, fallback ?? 0, opts);
  }

  /** The value exactly as given (not trimmed), or its default; fails as required when neither. */
  rawValue(name: Names<I>): string {
    const value = this.raw(name);
    if (value === undefined) this.required(name);
    return value;
  }

  /** A size in bytes; fails as required when neither given nor defaulted. */
  sizeValue(name: Names<I>): number {
    const bytes = this.size(name);
    if (bytes === undefined) this.required(name);
    return bytes;
  }

  /** A size in bytes; undefined when neither given nor defaulted. */
  size(name: Names<I>): number | undefined {
    this.spec(name);
    return this.r.size(name);
  }

  list(name: Names<I>): string[] {
    this.spec(name);
    return this.r.list(name);
  }

  lines(name: Names<I>): string[] {
    this.spec(name);
    return this.r.lines(name);
  }

  map(name: Names<I>): Record<string, string> {
    this.spec(name);
    return this.r.map(name);
  }
}

/** Binds a reader to a step's generated interface (see `StepReader`). */
export function stepReader<I extends StepInterface>(reader: InputReader, iface: I): StepReader<I> {
  return new StepReader(reader, iface);
}
