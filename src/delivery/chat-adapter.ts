import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Burst } from '../incidents/grouping.js';
import type { ChannelRef, Delivery, Platform, ThreadRef } from '../incidents/subscription.js';

export interface DeliveryRequest {
  delivery: Delivery;
  /**
   * The thread's start message, if one was posted in this channel already. With `groupId` set it is
   * a group's root: the message is a reply that names its service, and the root is not edited here.
   */
  thread?: ThreadRef;
  /**
   * An earlier attempt of this very delivery may have reached the platform (the bot died or the
   * call timed out before the answer was recorded). Adapters check before sending again.
   */
  possiblySent: boolean;
  /**
   * Called right before a request that may post on the platform (after pacing, after any look for
   * an earlier copy), so that only such attempts make the next one look. Absent: nothing to record.
   */
  beforeSend?: () => Promise<void>;
}

/** A reply's answer differs from the ref it was given (it opened the thread): record it. */
export const changedRef = (given: ThreadRef, answer: ThreadRef): boolean =>
  answer.threadId !== given.threadId || answer.threadName !== given.threadName;

export type DeliveryErrorKind =
  | 'rate_limited'
  | 'transient'
  | 'channel_gone'
  | 'missing_permission'
  | 'permanent';

export interface DeliveryErrorDetails {
  retryAfterMs?: number;
  /**
   * The platform answered the posting request without posting (a 429), or it was never sent
   * (the pacer refused it): this attempt proved its message is not there.
   */
  notPosted?: boolean;
  /** missing_permission: what the bot lacks, in the platform's words (e.g. "Send Messages"). */
  permission?: string;
}

/** The only error an adapter's deliver() throws; the worker decides retry, suspend or park. */
export class DeliveryError extends Error {
  readonly retryAfterMs: number | undefined;
  readonly notPosted: boolean;
  readonly permission: string | undefined;

  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    details: number | DeliveryErrorDetails = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
    const d = typeof details === 'number' ? { retryAfterMs: details } : details;
    this.retryAfterMs = d.retryAfterMs;
    this.notPosted = d.notPosted === true;
    this.permission = d.permission;
  }
}

/**
 * A chat platform. Transport and rendering only: no incident logic lives here.
 * deliver() posts the start message when there is no thread yet (returning its ThreadRef), a
 * reply in the thread otherwise, and for a resolution also edits the start message.
 */
export interface ChatAdapter {
  readonly platform: Platform;
  start(): Promise<void>;
  stop(): Promise<void>;
  deliver(req: DeliveryRequest): Promise<ThreadRef | undefined>;
  /**
   * Tells a channel what permission the bot lacks there, in a plain message; when the channel
   * cannot be written either, tells `userId` (who made the subscription) by direct message.
   * Resolves to where the notice went; rejects when it could go nowhere.
   */
  notifyMissingPermission?(notice: PermissionNotice): Promise<'channel' | 'direct_message'>;
  /**
   * Rewrites a group's root (its first member's start message) to list the group as it stands
   * (rule 8); idempotent. Absent: starts on this platform are never grouped.
   */
  editGroupRoot?(edit: GroupRootEdit): Promise<void>;
  /** HTTP endpoints this adapter serves on the bot's one port (e.g. Slack's /slack/events). */
  readonly routes?: readonly HttpRoute[];
}

export interface GroupRootEdit {
  channel: ChannelRef;
  /** The root's ref (the first member's start message). */
  root: ThreadRef;
  group: Burst;
}

export interface PermissionNotice {
  channel: ChannelRef;
  permission: string;
  /** The platform user id of whoever subscribed the channel, if known. */
  userId?: string;
}

export interface HttpRoute {
  method: 'GET' | 'POST';
  /** An exact path, or a prefix ending in `/*` (`/services/*`). */
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}
