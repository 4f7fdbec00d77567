import type { IncidentEvent } from './model.js';
import { type ChannelRef, channelKey, type Subscription } from './subscription.js';

/**
 * What a channel mute holds back, in one place: the router, the poller and the subscribe command
 * ask here. A muted channel opens no new thread; the threads it already has go on, so an incident
 * posted before the mute still gets its updates and resolution and is never left looking open.
 */

/** Whether a mute ending at `mutedUntil` still holds at `now` (a mute ends at its instant). */
export const isMuted = (mutedUntil: Date | undefined, now: Date): boolean =>
  mutedUntil !== undefined && mutedUntil.getTime() > now.getTime();

/** Whether an event may reach a channel: always when unmuted, else only into an existing thread. */
export const mutePasses = (muted: boolean, threadExists: boolean): boolean =>
  !muted || threadExists;

/** Whether a new subscription's "open right now" starts may be posted (they open threads). */
export const mayOpenThreads = (mutedUntil: Date | undefined, now: Date): boolean =>
  !isMuted(mutedUntil, now);

/**
 * The threads (`${threadKey}|${channelKey}`) whose existence decides what muted channels get from
 * these events: the only thread refs a poll needs to read.
 */
export const threadsToCheck = (
  events: readonly IncidentEvent[],
  subscriptions: readonly Subscription[],
  mutedUntil: (channel: ChannelRef) => Date | undefined,
  now: Date,
): string[] => {
  const threads = new Set<string>();
  for (const sub of subscriptions) {
    if (!isMuted(mutedUntil(sub.channel), now)) continue;
    for (const event of events) {
      if (event.serviceId === sub.serviceId)
        threads.add(`${event.threadKey}|${channelKey(sub.channel)}`);
    }
  }
  return [...threads];
};
