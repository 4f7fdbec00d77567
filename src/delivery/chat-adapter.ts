import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Delivery, Platform, ThreadRef } from '../incidents/subscription.js';

export interface DeliveryRequest {
  delivery: Delivery;
  /** The thread's start message, if one was posted in this channel already. */
  thread?: ThreadRef;
  /**
   * An earlier attempt of this very delivery may have reached the platform (the bot died or the
   * call timed out before the answer was recorded). Adapters check before sending again.
   */
  possiblySent: boolean;
}

export type DeliveryErrorKind = 'rate_limited' | 'transient' | 'channel_gone' | 'permanent';

/** The only error an adapter's deliver() throws; the worker decides retry, suspend or park. */
export class DeliveryError extends Error {
  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
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
  /** HTTP endpoints this adapter serves on the bot's one port (e.g. Slack's /slack/events). */
  readonly routes?: readonly HttpRoute[];
}

export interface HttpRoute {
  method: 'GET' | 'POST';
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}
