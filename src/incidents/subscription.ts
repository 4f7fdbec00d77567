import type { Impact, IncidentEvent } from './model.js';

/**
 * A chat platform's name, as the adapter registry declares it ('slack', 'discord', ...) or
 * 'console'. A plain string so that a new platform needs no change here; it is checked against
 * the registry where it enters (commands).
 */
export type Platform = string;

/** A place messages go: one channel of a chat platform, or the console. */
export interface ChannelRef {
  platform: Platform;
  /** The platform's workspace (Slack team id, Discord guild id); empty for the console. */
  workspaceId: string;
  channelId: string;
}

export const channelKey = (c: ChannelRef): string =>
  `${c.platform}:${c.workspaceId}:${c.channelId}`;

export type MentionKind = 'none' | 'here' | 'channel' | { role: string } | { user: string };

export interface SubscriptionFilters {
  /** Incidents below this impact are not posted. Maintenance always passes `none`. */
  minImpact: Impact;
  /** Only incidents touching one of these component names (case-insensitive); empty: all. */
  components: string[];
  /**
   * `official`: only incidents the provider's page announced (an outage probes or reports opened
   * reaches the channel once the provider confirms it). Absent: every signal.
   */
  signals?: 'official';
}

export interface Subscription {
  serviceId: string;
  channel: ChannelRef;
  filters: SubscriptionFilters;
  /** Who to ping on a start message at or above `mentionMinImpact`. */
  mention: MentionKind;
  mentionMinImpact: Impact;
  createdAt: string;
  createdBy: string;
  /** Set when the platform said the channel is gone or the bot was removed. */
  suspended?: { at: string; reason: string };
  /**
   * This service alone is muted in this channel until then (ISO time): the "Mute this service"
   * button. What it holds back is src/incidents/mute-policy.ts's to say.
   */
  mutedUntil?: string;
}

/** One event on its way to one channel. `id` makes (event, channel) delivered once. */
export interface Delivery {
  id: string;
  event: IncidentEvent;
  channel: ChannelRef;
  mention: MentionKind;
  /** `${event.threadKey}|${channelKey(channel)}`: deliveries with one thread go in order. */
  thread: string;
  enqueuedAt: string;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  /**
   * An earlier attempt got as far as a request that may have reached the platform (recorded before
   * that request), so the next attempt checks for its message before posting again.
   */
  possiblySent?: boolean;
}

/** Where a thread lives on a platform, recorded after the start message was accepted. */
export interface ThreadRef {
  channelId: string;
  /** Slack message ts or Discord message id of the start message. */
  rootId: string;
  /** Discord: the thread channel opened on the start message. */
  threadId?: string;
  /**
   * Discord: the thread is still to be opened, with this name, by the first reply (threadId is
   * already the start message's id, as Discord gives a thread opened on a message), so that a
   * start costs one request and every start of a burst goes out before any thread opens.
   */
  threadName?: string;
  /**
   * Set when this thread's messages go to a group's thread (rule 8): the ref is the group root's,
   * replies carry their service's name, and the root is the group's, edited by the worker alone.
   * The value is the group's id (its root's `Delivery.thread`).
   */
  groupId?: string;
}
