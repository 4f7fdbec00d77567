import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { DigestSetting } from '../../../src/digest/digest-model.js';
import { DIGEST_CATCH_UP_MS, dueSlot, runDigestTick } from '../../../src/digest/digest-tick.js';
import { channelKey } from '../../../src/incidents/subscription.js';
import { storePerTest } from '../../helpers/stores.js';
import { subscription } from '../../helpers/subscriptions.js';

const logger = pino({ level: 'silent' });
const CHANNEL = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
const MINUTE = 60_000;

const setting = (more: Partial<DigestSetting> = {}): DigestSetting => ({
  channel: CHANNEL,
  day: 1,
  hour: 9,
  timeZone: 'UTC',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'U1',
  ...more,
});

/** Every 5-minute tick in [fromMs, toMs). */
const ticks = (fromMs: number, toMs: number): number[] =>
  Array.from(
    { length: Math.ceil((toMs - fromMs) / (5 * MINUTE)) },
    (_, i) => fromMs + i * 5 * MINUTE,
  );

describe('which slot a tick owes', () => {
  it('a digest at 02:00 on the night New York skips 02:00 goes out once, at 03:00 EDT', () => {
    // Sunday 2026-03-08: clocks jump from 01:59 EST to 03:00 EDT (07:00 UTC).
    const s = setting({ day: 7, hour: 2, timeZone: 'America/New_York' });
    const night = ticks(
      Date.parse('2026-03-08T04:00:00.000Z'),
      Date.parse('2026-03-08T12:00:00.000Z'),
    );
    const due = night.filter((at) => dueSlot(s, at)).map((at) => dueSlot(s, at)?.date);
    expect(new Set(due)).toEqual(new Set(['2026-03-08']));
    expect(night.find((at) => dueSlot(s, at))).toBe(Date.parse('2026-03-08T07:00:00.000Z'));
  });

  it('the autumn hour shown twice counts once: the slot is its first time', () => {
    const s = setting({ day: 7, hour: 1, timeZone: 'America/New_York' });
    expect(dueSlot(s, Date.parse('2026-11-01T05:00:00.000Z'))?.atMs).toBe(
      Date.parse('2026-11-01T05:00:00.000Z'),
    );
    // The second 01:00 (06:00 UTC) is the same slot, not a new one.
    expect(dueSlot(s, Date.parse('2026-11-01T06:00:00.000Z'))?.date).toBe('2026-11-01');
  });

  it('owes nothing past the catch-up window, nor for a slot before the opt-in', () => {
    const monday9 = Date.parse('2026-12-07T09:00:00.000Z');
    expect(dueSlot(setting(), monday9 - MINUTE)).toBeUndefined();
    expect(dueSlot(setting(), monday9 + DIGEST_CATCH_UP_MS - MINUTE)?.date).toBe('2026-12-07');
    expect(dueSlot(setting(), monday9 + DIGEST_CATCH_UP_MS)).toBeUndefined();
    const lateOptIn = setting({ updatedAt: '2026-12-07T09:30:00.000Z' });
    expect(dueSlot(lateOptIn, monday9 + 60 * MINUTE)).toBeUndefined();
  });
});

describe.each(['embedded', 'redis', 'redis-cluster'] as const)('the digest tick: %s', (kind) => {
  const { t } = storePerTest(kind);
  const monday9 = Date.parse('2026-12-07T09:00:00.000Z');
  const deps = (owner: string, store = t.store) => ({
    store,
    nameOf: (id: string) => id,
    logger,
    owner,
  });

  it('enqueues a due digest once, whoever ticks and however often', async () => {
    await t.store.putSubscription(subscription());
    await t.store.digests.put(setting());
    const other = t.open();
    // Both replicas tick at the slot: one claims the cycle.
    const first = await Promise.all([
      runDigestTick(deps('r1'), monday9),
      runDigestTick(deps('r2', other), monday9),
    ]);
    expect(first.sort()).toEqual([0, 1]);
    // Later ticks of the catch-up window, and a restarted replica, find it enqueued.
    expect(await runDigestTick(deps('r3', t.open()), monday9 + 5 * MINUTE)).toBe(0);
    // Even with the shortcut forgotten, the outbox knows the delivery id.
    await t.store.putDoc(`digest-enqueued:${channelKey(CHANNEL)}:2026-12-07`, false);
    expect(await runDigestTick(deps('r1'), monday9 + 10 * MINUTE)).toBe(0);
    expect(await t.store.pendingDeliveries()).toBe(1);
    const [claimed] = await t.store.claimDeliveries({
      owner: 'w',
      now: new Date(monday9 + 11 * MINUTE),
      limit: 10,
      leaseMs: 10_000,
    });
    expect(claimed?.id).toBe('digest:slack:T1:C1:2026-12-07');
    expect(claimed?.event.digest).toEqual({
      periodStart: '2026-11-30T09:00:00.000Z',
      periodEnd: '2026-12-07T09:00:00.000Z',
      timeZone: 'UTC',
      services: [],
      quiet: ['github'],
    });
  });

  it('next week is a new digest', async () => {
    await t.store.digests.put(setting());
    expect(await runDigestTick(deps('r1'), monday9)).toBe(1);
    expect(await runDigestTick(deps('r1'), monday9 + 7 * 24 * 60 * MINUTE)).toBe(1);
    expect(await t.store.pendingDeliveries()).toBe(2);
  });
});
