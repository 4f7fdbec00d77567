import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Runs once before the suite: the Redis tests need a real server (they fail, never skip, without
 * one) and the end-to-end tests start the compiled bot, so build it first.
 */
export default async function setup(): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(
      `Redis is required for the test suite and did not answer at ${TEST_REDIS_URL} (${String(err)}). ` +
        'Start one with: redis-server --daemonize yes --port 6379 --save "" --appendonly no',
    );
  } finally {
    redis.disconnect();
  }
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
