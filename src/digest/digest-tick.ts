import type { Logger } from 'pino';
import { channelKey, type Delivery } from '../incidents/subscription.js';
import type { Timers } from '../scheduler/timers.js';
import type { Store } from '../store/store.js';
import { buildChannelDigest } from './build-digest.js';
import { type DigestSetting, digestDelivery } from './digest-model.js';
import { latestSlot } from './local-time.js';

const HOUR_MS = 60 * 60_000;

/** How often the tick looks for due digests: every 5 minutes, so one goes out by :05 of its hour. */
export const DIGEST_TICK_SCHEDULE = '*/5 * * * *';

/**
 * How late a digest may still go out (the bot was down at its hour). Past this it waits for the
 * next week: a day-old "weekly" digest is noise, and outbox ids are remembered far longer.
 */
export const DIGEST_CATCH_UP_MS = 12 * HOUR_MS;

export interface DigestTickDeps {
  store: Store;
  /** A service's display name (the catalog's). */
  nameOf: (serviceId: string) => string;
  logger: Logger;
  /** Identifies this replica in the tick's cycle claim. */
  owner: string;
  /** The digests were enqueued: kick the delivery worker. */
  onEnqueued?: () => void;
}

/** The slot a setting owes a digest for at `atMs`, if any: the latest, not yet too late. */
export function dueSlot(
  setting: DigestSetting,
  atMs: number,
): { atMs: number; date: string } | undefined {
  const slot = latestSlot(atMs, setting.day, setting.hour, setting.timeZone);
  if (atMs - slot.atMs >= DIGEST_CATCH_UP_MS) return undefined;
  // Opted in (or changed) after that slot: the first digest is the next one.
  if (slot.atMs < Date.parse(setting.updatedAt)) return undefined;
  return slot;
}

/**
 * One tick: enqueues the digest of every channel whose slot is due. One replica does each tick
 * (a cycle claim), and each digest's delivery id is its channel and slot date, so a re-run tick,
 * a restart or a replica that missed the claim never posts one twice. Returns how many were newly
 * enqueued.
 */
export async function runDigestTick(deps: DigestTickDeps, atMs: number): Promise<number> {
  const { store, logger } = deps;
  if (!(await store.tryLease(`digest-cycle:${atMs}`, deps.owner, HOUR_MS))) return 0;
  const due: { delivery: Delivery; sentKey: string }[] = [];
  for (const setting of await store.digests.list()) {
    const slot = dueSlot(setting, atMs);
    if (!slot) continue;
    const sentKey = `digest-enqueued:${channelKey(setting.channel)}:${slot.date}`;
    try {
      // Saves building it again every tick of the catch-up window; the outbox id decides.
      if (await store.getDoc<boolean>(sentKey)) continue;
      const { channel, timeZone } = setting;
      const digest = await buildChannelDigest(store, deps.nameOf, channel, slot.atMs, timeZone);
      const at = new Date(slot.atMs);
      due.push({
        delivery: digestDelivery(channel, slot.date, digest, at, new Date(atMs)),
        sentKey,
      });
    } catch (err) {
      // One channel's failure is retried next tick and holds up no other.
      logger.warn({ err, channel: setting.channel }, 'could not build a weekly digest');
    }
  }
  if (due.length === 0) return 0;
  const enqueued = await store.enqueue(due.map((d) => d.delivery));
  for (const { sentKey } of due) await store.putDoc(sentKey, true, 2 * DIGEST_CATCH_UP_MS);
  logger.info({ due: due.length, enqueued }, 'weekly digests enqueued');
  if (enqueued > 0) deps.onEnqueued?.();
  return enqueued;
}

/** The running digest tick: `stop()` ends the schedule and waits for a tick in flight. */
export interface DigestSchedule {
  stop(): Promise<void>;
  /** Resolves when no tick is running (tests drive the simulated clock tick by tick). */
  idle(): Promise<void>;
}

/**
 * Runs the tick on DIGEST_TICK_SCHEDULE through `timers` (a replay's simulated clock too). A tick
 * still running when the next is due makes that one skip: the next one catches up.
 */
export function scheduleDigests(deps: DigestTickDeps, timers: Timers): DigestSchedule {
  let running: Promise<void> | undefined;
  const task = timers.cron(DIGEST_TICK_SCHEDULE, (tick) => {
    if (running) return;
    running = runDigestTick(deps, tick.at)
      .then(
        () => undefined,
        (err: unknown) => {
          deps.logger.warn({ err }, 'weekly digest tick failed; the next tick catches up');
        },
      )
      .finally(() => {
        running = undefined;
      });
  });
  return {
    async stop() {
      task.stop();
      await running;
    },
    async idle() {
      await running;
    },
  };
}
