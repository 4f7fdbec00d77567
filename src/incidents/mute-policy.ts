import type { IncidentEvent } from './model.js';
import { type ChannelRef, channelKey, type Subscription } from './subscription.js';

/**
 * What a mute holds back, in one place: the router, the poller and the commands ask here. Two
 * mutes exist: the channel's (`/outage mute`) and one service's in one channel (the "Mute this
 * service" button, `Subscription.mutedUntil`); a subscription is muted while either holds. A
 * muted subscription opens no new thread; the threads it already has go on, so an incident posted
 * before the mute still gets its updates and resolution and is never left looking open.
 */

/** Whether a mute ending at `mutedUntil` still holds at `now` (a mute ends at its instant). */
export const isMuted = (mutedUntil: Date | undefined, now: Date): boolean =>
  mutedUntil !== undefined && mutedUntil.getTime() > now.getTime();

/** When the service's own mute in this channel ends, if it has one (past or not). */
export const serviceMuteEnd = (sub: Pick<Subscription, 'mutedUntil'>): Date | undefined => {
  const ms = sub.mutedUntil ? Date.parse(sub.mutedUntil) : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms);
};

/** When whatever mutes this subscription ends: the later of the channel's and the service's. */
export const muteEndOf = (
  sub: Pick<Subscription, 'mutedUntil'>,
  channelMutedUntil: Date | undefined,
): Date | undefined => {
  const own = serviceMuteEnd(sub);
  if (!own) return channelMutedUntil;
  if (!channelMutedUntil) return own;
  return own.getTime() > channelMutedUntil.getTime() ? own : channelMutedUntil;
};

/** Whether this subscription is muted at `now`, by its channel or by its own service mute. */
export const isSubscriptionMuted = (
  sub: Pick<Subscription, 'mutedUntil'>,
  channelMutedUntil: Date | undefined,
  now: Date,
): boolean => isMuted(muteEndOf(sub, channelMutedUntil), now);

/** Whether an event may reach a channel: always when unmuted, else only into an existing thread. */
export const mutePasses = (muted: boolean, threadExists: boolean): boolean =>
  !muted || threadExists;

/** Whether a subscription's "open right now" starts may be posted (they open threads). */
export const mayOpenThreads = (
  sub: Pick<Subscription, 'mutedUntil'>,
  channelMutedUntil: Date | undefined,
  now: Date,
): boolean => !isSubscriptionMuted(sub, channelMutedUntil, now);

/**
 * The threads (`${threadKey}|${channelKey}`) whose existence decides what muted subscriptions get
 * from these events: the only thread refs a poll needs to read.
 */
export const threadsToCheck = (
  events: readonly IncidentEvent[],
  subscriptions: readonly Subscription[],
  mutedUntil: (channel: ChannelRef) => Date | undefined,
  now: Date,
): string[] => {
  const threads = new Set<string>();
  for (const sub of subscriptions) {
    if (!isSubscriptionMuted(sub, mutedUntil(sub.channel), now)) continue;
    for (const event of events) {
      if (event.serviceId === sub.serviceId)
        threads.add(`${event.threadKey}|${channelKey(sub.channel)}`);
    }
  }
  return [...threads];
};
