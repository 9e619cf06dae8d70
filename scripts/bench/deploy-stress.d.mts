// Types for scripts/bench/deploy-stress.mjs, so the integration test can drive it.
export interface StressFailure {
  cycle: number;
  step: 'deploy' | 'abort' | 'promote';
  loaded: boolean;
  message: string;
}
export interface StressResult {
  lb: string;
  deploys: number;
  failures: StressFailure[];
  wallMs: number;
  reachable: { median: number; worst: number };
  smoke: { median: number; worst: number };
}
export function buildStressImage(base: string): string;
export function runStress(o: {
  cli: string;
  lb: 'nginx' | 'haproxy';
  image: string;
  baseImage: string;
  cycles: number;
  port: number;
  log?: (line: string) => void;
}): Promise<StressResult>;
