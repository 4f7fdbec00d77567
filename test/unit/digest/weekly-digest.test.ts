import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { renderDigestText } from '../../../adapters/console/render-digest.js';
import type { ChatAdapter } from '../../../src/delivery/chat-adapter.js';
import { DeliveryWorker } from '../../../src/delivery/worker.js';
import { digestOf } from '../../../src/digest/digest-model.js';
import { type DigestSchedule, scheduleDigests } from '../../../src/digest/digest-tick.js';
import { channelKey, type Platform } from '../../../src/incidents/subscription.js';
import { SimClock } from '../../../src/replay/sim-clock.js';
import type { Store } from '../../../src/store/store.js';
import { type StoreKind, storePerTest } from '../../helpers/stores.js';
import {
  BERLIN,
  catalog,
  DAY,
  digestCommand,
  NEW_YORK,
  seedWeek,
  TOKYO,
  TOKYO_OFF_AT,
  WEEK_END,
  WEEK_START,
} from './week-fixture.js';

const logger = pino({ level: 'silent' });

interface Post {
  channel: string;
  at: string;
  text: string;
}

/** A chat platform that records what it was given to post, rendered as the console shows it. */
function recordingAdapter(platform: Platform, clock: SimClock, posts: Post[]): ChatAdapter {
  return {
    platform,
    async start() {},
    async stop() {},
    async deliver({ delivery }) {
      const digest = digestOf(delivery.event);
      posts.push({
        channel: channelKey(delivery.channel),
        at: clock.date().toISOString(),
        text: digest ? renderDigestText(digest) : `not a digest: ${delivery.event.type}`,
      });
      return { channelId: delivery.channel.channelId, rootId: `m${posts.length}` };
    },
  };
}

const BERLIN_DIGEST = [
  '┏ [digest] Weekly digest: 2026-11-23 09:00 to 2026-11-30 09:00 (Europe/Berlin)',
  '┃ GitHub: 4 incidents, 13h 45m down in total',
  '┃   Longest: Git operations failing <https://www.githubstatus.com/incidents/g4> (10h)',
  '┃   Still open: Git operations failing <https://www.githubstatus.com/incidents/g4> (since 2026-11-29 23:00)',
  '┃ No incidents on Cloudflare.',
  '┗',
].join('\n');

const NEW_YORK_DIGEST = [
  '┏ [digest] Weekly digest: 2026-11-27 17:00 to 2026-12-04 17:00 (America/New_York)',
  '┃ Cloudflare: 1 incident, 2d 13h down in total',
  '┃   Longest: Dashboard *slow* (2d 13h)',
  '┃   Still open: Dashboard *slow* (since 2026-12-02 04:00)',
  '┃ GitHub: 1 incident, 1d 6h down in total',
  '┃   Longest: Git operations failing <https://www.githubstatus.com/incidents/g4> (1d 6h)',
  '┗',
].join('\n');

describe.each<StoreKind>(['embedded', 'redis'])(
  'weekly digest over a simulated week: %s',
  (kind) => {
    // History is kept long enough that the simulated week's is not swept by the real clock.
    const { t } = storePerTest(kind, { historyRetentionMs: 3650 * DAY });

    it('posts one digest per opted-in channel at its hour, none to others, none after digest off', async () => {
      await seedWeek(t.store);
      const clock = new SimClock(WEEK_START);
      const posts: Post[] = [];
      const adapters = new Map(
        ['slack', 'discord'].map((p) => [p, recordingAdapter(p, clock, posts)] as const),
      );
      const worker = new DeliveryWorker({
        store: t.store,
        adapters,
        logger,
        now: () => clock.date(),
        owner: 'worker',
        timers: clock,
      });
      // Two replicas tick on the same clock; the first is restarted after Berlin's digest.
      const replica = (store: Store, owner: string): DigestSchedule =>
        scheduleDigests(
          { store, nameOf: (id) => catalog.get(id)?.name ?? id, logger, owner },
          clock,
        );
      const replicas = [replica(t.store, 'r1'), replica(t.open(), 'r2')];
      const restartAt = Date.parse('2026-11-30T09:00:00.000Z');
      let restarted = false;
      let tokyoOff = false;
      while ((clock.nextAt() ?? Number.POSITIVE_INFINITY) <= WEEK_END) {
        const next = clock.nextAt() ?? WEEK_END;
        if (!tokyoOff && next >= TOKYO_OFF_AT) {
          clock.advanceTo(TOKYO_OFF_AT);
          const reply = await digestCommand(t.store, TOKYO, TOKYO_OFF_AT, { mode: 'off' });
          expect(reply.text).toBe(
            'The weekly digest is off in this channel. /outage digest weekly turns it back on.',
          );
          tokyoOff = true;
        }
        if (!restarted && next >= restartAt) {
          await replicas[0]?.stop();
          replicas[0] = replica(t.open(), 'r1-restarted');
          restarted = true;
        }
        clock.runNext();
        await Promise.all(replicas.map((r) => r.idle()));
        await worker.drain();
      }
      await Promise.all(replicas.map((r) => r.stop()));

      expect(posts).toEqual([
        { channel: channelKey(BERLIN), at: '2026-11-30T08:00:00.000Z', text: BERLIN_DIGEST },
        { channel: channelKey(NEW_YORK), at: '2026-12-04T22:00:00.000Z', text: NEW_YORK_DIGEST },
      ]);
      expect(await t.store.pendingDeliveries()).toBe(0);
    });
  },
);
