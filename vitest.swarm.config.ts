import { defineConfig } from 'vitest/config';

// Swarm integration tests: one three-node rig (scripts/swarm-rig.sh) for all of them, started by the global
// set-up and removed after the last file. Files run one at a time: they share the rig.
export default defineConfig({
  test: {
    include: ['src/**/*.swarm.itg.test.ts', 'test/**/*.swarm.itg.test.ts'],
    // The temp-dir guard first: its teardown runs last, after the rig's.
    globalSetup: ['test/tmp-guard.ts', 'test/swarm/global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
