import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { DEFAULT_TEST_REDIS_URL, ensureRedis } from './helpers/test-redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/**
 * Runs once before the suite. The Redis tests need a real server (they fail, never skip, without
 * one): the one at TEST_REDIS_URL (default 127.0.0.1:6379) if it answers, else a throwaway
 * redis-server this starts and stops. The end-to-end tests start the compiled bot, so build it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await ensureRedis({ url: process.env.TEST_REDIS_URL ?? DEFAULT_TEST_REDIS_URL });
  // Worker processes are forked after this and inherit the environment; provide() is for
  // tests that ask vitest's inject() instead.
  process.env.TEST_REDIS_URL = redis.url;
  project.provide('redisUrl', redis.url);
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  } catch (err) {
    await redis.stop();
    throw err;
  }
  return () => redis.stop();
}
