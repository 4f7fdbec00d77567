import { afterEach, beforeEach } from 'vitest';

/**
 * A value made fresh before each test of the calling `describe` and disposed of after it. The
 * returned object forwards to the current test's value, so it can be a `const` next to the tests.
 */
export function perTest<T extends object>(
  create: () => Promise<T>,
  dispose: (value: T) => unknown,
): T {
  let current: T | undefined;
  beforeEach(async () => {
    current = await create();
  });
  afterEach(async () => {
    if (current) await dispose(current);
  });
  return forwardTo(() => {
    if (!current) throw new Error('a per-test value exists only inside a test');
    return current;
  });
}

/** An object that forwards every property read to what `target()` returns at that moment. */
export function forwardTo<T extends object>(target: () => T): T {
  return new Proxy({} as T, {
    get: (_, key) => {
      // Not a promise: awaiting or returning the view must not reach for a value outside a test.
      if (key === 'then') return undefined;
      const value = target();
      const property = Reflect.get(value, key);
      return typeof property === 'function' ? property.bind(value) : property;
    },
  });
}
