import type { Platform } from '../platform/types.js';
import type { InputReader } from './inputs.js';
import type { StepInterface } from './interface.js';

/** How a step's CLI form maps onto its inputs. */
export interface CliSpec {
  /** Input names filled by positional arguments, in order; the last one takes all the rest. */
  positional?: readonly string[];
  /** Short or alternative flags, e.g. `{ '-f': 'format' }`. */
  aliases?: Readonly<Record<string, string>>;
  /** Inputs that are switches: `--no-fail` sets `no-fail=true` and takes no value. */
  switches?: readonly string[];
  /** One line of usage after `shipkit <step>`. */
  usage?: string;
}

/** A step as written: typed inputs, a main phase and an optional post (cleanup) phase. */
export interface StepDefinition<I> {
  /** Folder name under `actions/` and the CLI verb. */
  name: string;
  summary: string;
  /** `as const` maps of input and output names, exactly as in `action.yml`. */
  inputs: Readonly<Record<string, string>>;
  outputs: Readonly<Record<string, string>>;
  /**
   * The step's interface generated from its action.yml (src/generated/<step>.ts). Every step in
   * src/steps.ts has one (test/interface.test.ts); a step defined in a test may leave it out.
   */
  interface?: StepInterface;
  getInputs(reader: InputReader): I;
  main(inputs: I, platform: Platform): Promise<void>;
  /** Cleanup after the job (GitHub post step). May only warn, never fail. */
  post?(inputs: I, platform: Platform): Promise<void>;
  cli?: CliSpec;
}

/** A step with its input type erased, as the runners and registries hold it. */
export interface Step {
  name: string;
  summary: string;
  inputNames: readonly string[];
  outputNames: readonly string[];
  /** Types, defaults, choices and descriptions of every input, from action.yml. */
  iface: StepInterface;
  hasPost: boolean;
  cli: CliSpec;
  run(reader: InputReader, platform: Platform, phase: 'main' | 'post'): Promise<void>;
  /** Reads and validates the inputs only (what `run` does first); throws as `run` would. */
  readInputs(reader: InputReader): unknown;
}

/** Wraps a definition so it can sit in the registry beside steps of other input types. */
export function defineStep<I>(def: StepDefinition<I>): Step {
  return {
    name: def.name,
    summary: def.summary,
    inputNames: Object.values(def.inputs),
    outputNames: Object.values(def.outputs),
    iface: def.interface ?? plainInterface(def),
    hasPost: def.post !== undefined,
    cli: def.cli ?? {},
    readInputs: (reader) => def.getInputs(reader),
    async run(reader, platform, phase) {
      const inputs = def.getInputs(reader);
      if (phase === 'main') await def.main(inputs, platform);
      else if (def.post) await def.post(inputs, platform);
    },
  };
}

/** Every input a plain string without default or description: for steps defined without action.yml. */
function plainInterface(def: StepDefinition<unknown>): StepInterface {
  const inputs = Object.values(def.inputs).map((n) => [
    n,
    { type: 'string', description: '', required: false, secret: false, group: 'common' } as const,
  ]);
  const outputs = Object.values(def.outputs).map((n) => [n, { description: '' }]);
  return {
    name: def.name,
    description: def.summary,
    inputs: Object.fromEntries(inputs) as StepInterface['inputs'],
    outputs: Object.fromEntries(outputs) as StepInterface['outputs'],
  };
}
