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
    // Most of the suite's wall time is end-to-end files waiting on real timers (a 60 s chat
    // outage, a bot restarted 20 times), not on the CPU: four at once on a 2-core machine take
    // about a third of the time of vitest's default there (one worker).
    maxWorkers: 4,
  },
});
