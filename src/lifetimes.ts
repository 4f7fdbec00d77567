/**
 * How long the bot remembers each thing about an incident thread, in one place, because the
 * lifetimes only work together:
 *
 * - CLOSED_SUBJECT_DETAIL_MS (24 h): a closed subject is kept in full (update ids, last text) for
 *   flapping and late postmortems, then shrunk to a closed record.
 * - REOPEN_WINDOW_MS (400 days): the closed record (id and when it closed). While it exists, the
 *   subject listed open again is a reopen of its old thread, never a new start.
 * - THREAD_REF_TTL_MS (400 days, from the start message): a channel's thread ref. It never outlives
 *   the closed record (the start is posted before the close), so whenever a thread can still be
 *   found, its subject is still known, and a return is a `reopened` into that thread rather than a
 *   `started` the delivery worker would refuse as a duplicate.
 * - DELIVERED_RETENTION_MS (30 days): delivered ids kept for deduplication. Far shorter than the
 *   closed record, so once a subject is forgotten and comes back as new, its `started` event (whose
 *   id is content-derived and so the same as the first time) is no longer swallowed as a repeat.
 *
 * Stores read the last two from here; the reconciler's policy defaults to the first two.
 */

const DAY_MS = 24 * 60 * 60_000;

export const CLOSED_SUBJECT_DETAIL_MS = DAY_MS;

export const THREAD_REF_TTL_MS = 400 * DAY_MS;

export const REOPEN_WINDOW_MS = THREAD_REF_TTL_MS;

export const DELIVERED_RETENTION_MS = 30 * DAY_MS;

/** How long a chat-added status page nobody follows is kept, so a quick re-subscribe finds it. */
export const CHAT_SERVICE_GRACE_MS = 7 * DAY_MS;

/**
 * Closed records kept per service at most, newest first. A page closing more incidents than this
 * inside the reopen window forgets its oldest early: such an incident coming back opens a thread
 * of its own, since its old thread could no longer be told apart from a duplicate start.
 */
export const MAX_CLOSED_RECORDS = 500;
