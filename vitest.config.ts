import { defineConfig } from 'vitest/config';

// Unit tests: no Docker, no network beyond an in-process loopback server.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/*.itg.test.ts', 'node_modules/**'],
    testTimeout: 20_000,
  },
});
