/** Types of scripts/check-interface.mjs for test/interface.test.ts. */
export interface PassThrough {
  file: string;
  /** workflow | component | variables | jenkins-env | jenkins-literal */
  kind?: string;
  /** Path of the pass-through in its YAML document. */
  path?: string[];
  outer: string;
  step: string;
  input: string;
  default: string;
  type?: string;
  options?: string[];
  /** Marked `# shipkit: own-default`: differs from the step's default on purpose. */
  own?: boolean;
  /** Marked `# shipkit: own-options`: offers a subset of the step's choices on purpose. */
  ownOptions?: boolean;
  /** Its default carries the marker of scripts/sync-defaults.mjs. */
  generated?: boolean;
}
export interface DefaultPlace {
  key: string;
  file: string;
  outer: string;
  generated: boolean;
  own: boolean;
}
export function passThroughs(): PassThrough[];
export function problems(rows?: PassThrough[]): string[];
export function codeDefaults(): string[];
export function defaultPlaces(rows?: PassThrough[]): DefaultPlace[];
export function figures(): {
  inputsWithDefault: number;
  passThroughs: number;
  codeCopies: number;
  generatedPlaces: number;
  handCopies: number;
  maxPlaces: number;
  maxPlacesWithGenerated: number;
  ownDefaults: DefaultPlace[];
  problems: string[];
  counts: Record<string, number>;
  perInput: Record<string, number>;
};
