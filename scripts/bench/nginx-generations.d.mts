// Types for scripts/bench/nginx-generations.mjs.
export function measureGenerations(o?: { reloads?: number; asks?: number; busy?: boolean }): Promise<{
  reloads: number;
  asks: number;
  shared: number;
  sharedReloads: number;
  own: number;
  ownReloads: number;
}>;
