import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Generous: under CPU load a test that starts the bot twice takes tens of seconds, and the
    // waits inside each test (not this) decide what is too slow.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
