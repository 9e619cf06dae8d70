import { createLogger } from 'vite';
import { defineConfig } from 'vitest/config';

// @actions/workflow-parser ships source maps without their sources; Vite warns once per file.
const logger = createLogger();
const warn = logger.warn.bind(logger);
logger.warn = (msg, opts) => {
  if (!msg.startsWith('Sourcemap for ')) warn(msg, opts);
};

// Unit tests: no Docker, no network beyond an in-process loopback server.
export default defineConfig({
  customLogger: logger,
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/*.itg.test.ts', 'node_modules/**'],
    testTimeout: 20_000,
    globalSetup: ['test/tmp-guard.ts'],
    // GitHub's workflow parser imports its JSON schemas without import attributes; let Vite load them.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
