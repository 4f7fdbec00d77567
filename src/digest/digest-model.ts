import type { IncidentEvent } from '../incidents/model.js';
import { type ChannelRef, channelKey, type Delivery } from '../incidents/subscription.js';

/** ISO weekday numbers as Intl and ISO 8601 count them: 1 is Monday, 7 is Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const WEEKDAY_NAMES: Record<Weekday, string> = {
  1: 'Monday',
  2: 'Tuesday',
  3: 'Wednesday',
  4: 'Thursday',
  5: 'Friday',
  6: 'Saturday',
  7: 'Sunday',
};

/** A channel's opt-in to the weekly digest (`/outage digest weekly`): when, in its own zone. */
export interface DigestSetting {
  channel: ChannelRef;
  day: Weekday;
  /** 0-23, local to `timeZone`. */
  hour: number;
  /** An IANA zone name, checked with Intl when it was set. */
  timeZone: string;
  /** When it was (last) set: a slot that passed before then is never sent. */
  updatedAt: string;
  updatedBy: string;
}

/** One service's week, as every adapter renders it. Titles are untrusted (from status pages). */
export interface DigestServiceWeek {
  serviceId: string;
  serviceName: string;
  /** Incidents open at some time in the period. */
  incidents: number;
  /** Time in the period during which at least one of them was open. */
  downtimeMs: number;
  /** The one open longest within the period. */
  longest: DigestIncident;
  /** Those still open at the period's end. */
  open: DigestIncident[];
}

export interface DigestIncident {
  title: string;
  /** Its time open within the period. */
  durationMs: number;
  startedAt: string;
  url?: string;
}

/**
 * The weekly digest of one channel: plain data over the 7 days before the slot, rendered by
 * adapters/<platform>/render-digest.ts. `services` holds the followed services that had
 * incidents (most downtime first); `quiet` names the others.
 */
export interface ChannelDigest {
  periodStart: string;
  periodEnd: string;
  timeZone: string;
  services: DigestServiceWeek[];
  quiet: string[];
}

/** Event type and service id of a digest: the outbox carries it like an event of its own. */
export const DIGEST_EVENT_TYPE = 'digest';

/**
 * The delivery of one channel's digest for the week of `weekKey` (the slot's local date). Its id
 * is made of nothing else, so a re-run tick, a restart or a second replica enqueues it once (the
 * outbox skips ids it holds or delivered). It opens no thread: its thread key is its own.
 */
export function digestDelivery(
  channel: ChannelRef,
  weekKey: string,
  digest: ChannelDigest,
  dueAt: Date,
  now: Date,
): Delivery {
  const id = `digest:${channelKey(channel)}:${weekKey}`;
  const event: IncidentEvent = {
    id,
    type: DIGEST_EVENT_TYPE,
    serviceId: '',
    serviceName: 'Weekly digest',
    threadKey: `digest:${weekKey}`,
    subject: {
      kind: 'incident',
      id: `digest:${weekKey}`,
      title: 'Weekly digest',
      // Over from the start: nothing edits it, no thread is opened on it, it pings nobody.
      status: 'resolved',
      impact: 'none',
      components: [],
      // The slot: delivery latency is counted from when it was due.
      startedAt: dueAt.toISOString(),
      resolvedAt: dueAt.toISOString(),
      origin: 'status_page',
    },
    digest,
    at: dueAt.toISOString(),
  };
  return {
    id,
    event,
    channel,
    mention: 'none',
    thread: `${event.threadKey}|${channelKey(channel)}`,
    enqueuedAt: now.toISOString(),
    attempts: 0,
    nextAttemptAt: now.toISOString(),
  };
}

/** The digest a delivery carries, if it is one. */
export const digestOf = (event: IncidentEvent): ChannelDigest | undefined =>
  event.type === DIGEST_EVENT_TYPE ? event.digest : undefined;
