import { defineConfig } from 'vitest/config';

// Integration tests: real dockerd, registry, nginx, HAProxy, ShellCheck (scripts/setup-host.sh).
// They share one Docker engine, so files run one at a time to keep timings and ports sane.
export default defineConfig({
  test: {
    include: ['src/**/*.itg.test.ts', 'test/**/*.itg.test.ts'],
    // Swarm tests need the rig: vitest.swarm.config.ts runs them.
    exclude: ['**/*.swarm.itg.test.ts', 'node_modules/**'],
    globalSetup: ['test/tmp-guard.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
