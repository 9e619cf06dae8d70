/**
 * The property the nginx LB's readiness rests on, checked on a real nginx: a unix socket created
 * by a reload is served by the new generation's workers only, so once it answers with the new
 * generation no later connection to it reaches an older one (a socket shared across reloads gives
 * no such promise: see scripts/bench/nginx-generations.mjs for how often it fails).
 */
import { describe, expect, it } from 'vitest';
import { missingCommand } from '../helpers/host.js';
import { measureGenerations } from '../../scripts/bench/nginx-generations.mjs';

const skip = missingCommand('nginx', ['-v']);

describe.skipIf(skip)(`nginx generations, real nginx${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it("after a reload, a generation's own socket never answers from an older generation, also with every core busy", async () => {
    for (const busy of [false, true]) {
      const r = await measureGenerations({ reloads: 20, asks: 100, busy });
      expect(r.own).toBe(0);
      expect(r.reloads).toBe(20);
    }
  }, 120_000);
});
