import { describe, expect, it, vi } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { type StoreKind, storePerTest } from '../helpers/stores.js';

/** Compare-and-set documents (a channel's grouping record): the contract on both stores. */
describe.each<StoreKind>(['embedded', 'redis'])(
  'Store contract, versioned documents: %s',
  (kind) => {
    const { t, store } = storePerTest(kind);

    it('writes only over the version it read', async () => {
      expect(await store.getVersionedDoc('bursts')).toEqual({ value: undefined, version: 0 });
      expect(await store.putVersionedDoc('bursts', { list: [], n: 1 }, 0)).toBe(true);
      expect(await store.getVersionedDoc('bursts')).toEqual({
        value: { list: [], n: 1 },
        version: 1,
      });
      // A writer that read before that write is refused, and changes nothing.
      expect(await store.putVersionedDoc('bursts', { n: 99 }, 0)).toBe(false);
      expect(await store.putVersionedDoc('bursts', { n: 99 }, 2)).toBe(false);
      expect(await store.getVersionedDoc('bursts')).toEqual({
        value: { list: [], n: 1 },
        version: 1,
      });
      expect(await store.putVersionedDoc('bursts', { n: 2 }, 1)).toBe(true);
      expect(await store.getVersionedDoc('bursts')).toEqual({ value: { n: 2 }, version: 2 });
      expect(await store.getVersionedDoc('other')).toEqual({ value: undefined, version: 0 });
    });

    it('loses no update when two replicas change one document at once', async () => {
      const replica = t.open();
      const increment = async (via: Store, who: string) => {
        for (;;) {
          const { value, version } = await via.getVersionedDoc<{ seen: string[] }>('counter');
          const next = { seen: [...(value?.seen ?? []), who] };
          if (await via.putVersionedDoc('counter', next, version)) return;
        }
      };
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => increment(i % 2 === 0 ? store : replica, `w${i}`)),
      );
      const { value, version } = await store.getVersionedDoc<{ seen: string[] }>('counter');
      expect(version).toBe(20);
      expect([...(value?.seen ?? [])].sort()).toEqual(
        Array.from({ length: 20 }, (_, i) => `w${i}`).sort(),
      );
    });

    it('forgets a document after its time to live, and starts again from version 0', async () => {
      expect(await store.putVersionedDoc('short', 'lived', 0, 100)).toBe(true);
      expect(await store.putVersionedDoc('kept', 'forever', 0)).toBe(true);
      expect(await store.getVersionedDoc('short')).toEqual({ value: 'lived', version: 1 });
      await vi.waitFor(
        async () =>
          expect(await store.getVersionedDoc('short')).toEqual({ value: undefined, version: 0 }),
        { timeout: 5_000, interval: 20 },
      );
      expect(await store.putVersionedDoc('short', 'again', 1)).toBe(false);
      expect(await store.putVersionedDoc('short', 'again', 0)).toBe(true);
      // A write without a time to live keeps the document for good, even one that had one.
      expect(await store.putVersionedDoc('short', 'now kept', 1)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await store.getVersionedDoc('short')).toEqual({ value: 'now kept', version: 2 });
      expect(await store.getVersionedDoc('kept')).toEqual({ value: 'forever', version: 1 });
    });

    it('keeps documents and versions across a restart', async () => {
      await store.putVersionedDoc('bursts', { a: 1 }, 0);
      await store.putVersionedDoc('bursts', { a: 2 }, 1);
      await store.close();
      const reopened = t.open();
      expect(await reopened.getVersionedDoc('bursts')).toEqual({ value: { a: 2 }, version: 2 });
      expect(await reopened.putVersionedDoc('bursts', { a: 3 }, 2)).toBe(true);
    });
  },
);
