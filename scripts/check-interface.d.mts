/** Types of scripts/check-interface.mjs for test/interface.test.ts. */
export interface PassThrough {
  file: string;
  outer: string;
  step: string;
  input: string;
  default: string;
  type?: string;
  options?: string[];
  /** Marked `# shipkit: own-default`: differs from the step's default on purpose. */
  own?: boolean;
}
export function passThroughs(): PassThrough[];
export function problems(rows?: PassThrough[]): string[];
export function codeDefaults(): string[];
export function figures(): {
  inputsWithDefault: number;
  passThroughs: number;
  codeCopies: number;
  yamlCopies: number;
  maxPlaces: number;
  problems: string[];
  counts: Record<string, number>;
};
