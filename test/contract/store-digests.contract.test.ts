import { describe, expect, it } from 'vitest';
import type { DigestSetting } from '../../src/digest/digest-model.js';
import type { ChannelRef } from '../../src/incidents/subscription.js';
import { type StoreKind, storePerTest } from '../helpers/stores.js';

const slack = (channelId: string): ChannelRef => ({
  platform: 'slack',
  workspaceId: 'T1',
  channelId,
});
const discord: ChannelRef = {
  platform: 'discord',
  workspaceId: 'G1',
  channelId: '1234567890123456789',
};

const setting = (channel: ChannelRef, more: Partial<DigestSetting> = {}): DigestSetting => ({
  channel,
  day: 1,
  hour: 9,
  timeZone: 'UTC',
  updatedAt: '2026-12-01T10:00:00.000Z',
  updatedBy: 'U1',
  ...more,
});

/** Weekly digest settings, kept by both stores alike (src/store/digests.ts). */
describe.each<StoreKind>(['embedded', 'redis', 'redis-cluster'])(
  'Store contract, digest settings: %s',
  (kind) => {
    const { t, store } = storePerTest(kind);

    it('keeps one setting per channel: a second put replaces it', async () => {
      await store.digests.put(setting(slack('C1')));
      await store.digests.put(
        setting(slack('C1'), { day: 5, hour: 17, timeZone: 'Europe/Berlin' }),
      );
      expect(await store.digests.get(slack('C1'))).toEqual(
        setting(slack('C1'), { day: 5, hour: 17, timeZone: 'Europe/Berlin' }),
      );
      expect(await store.digests.get(slack('C2'))).toBeUndefined();
      expect(await store.digests.list()).toEqual([
        setting(slack('C1'), { day: 5, hour: 17, timeZone: 'Europe/Berlin' }),
      ]);
    });

    it('lists every channel on every platform, in channel key order', async () => {
      await store.digests.put(setting(slack('C2')));
      await store.digests.put(setting(discord, { day: 7, hour: 0 }));
      await store.digests.put(setting(slack('C1')));
      expect(await store.digests.list()).toEqual([
        setting(discord, { day: 7, hour: 0 }),
        setting(slack('C1')),
        setting(slack('C2')),
      ]);
    });

    it('remove turns one channel off and says whether it was on', async () => {
      await store.digests.put(setting(slack('C1')));
      await store.digests.put(setting(slack('C2')));
      expect(await store.digests.remove(slack('C1'))).toBe(true);
      expect(await store.digests.remove(slack('C1'))).toBe(false);
      expect(await store.digests.get(slack('C1'))).toBeUndefined();
      expect(await store.digests.list()).toEqual([setting(slack('C2'))]);
    });

    it('another replica (or the bot after a restart) sees the same settings', async () => {
      await store.digests.put(setting(slack('C1'), { hour: 23 }));
      const other = t.open();
      expect(await other.digests.list()).toEqual([setting(slack('C1'), { hour: 23 })]);
      await other.digests.remove(slack('C1'));
      expect(await store.digests.get(slack('C1'))).toBeUndefined();
    });
  },
);
