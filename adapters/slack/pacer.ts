import { DeliveryError } from '../../src/delivery/chat-adapter.js';

export interface PacerOptions {
  /** Slack: "one message per second per channel". */
  intervalMs: number;
  /**
   * A send that would wait longer than this is refused as rate_limited (the worker retries it
   * later) rather than holding its outbox lease while it queues.
   */
  maxWaitMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Spaces the messages posted to one channel `intervalMs` apart: each send reserves the next free
 * slot of its channel and waits for it. Channels are independent; idle ones are forgotten.
 */
export class ChannelPacer {
  private readonly nextSlot = new Map<string, number>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: PacerOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async run<T>(channel: string, send: () => Promise<T>): Promise<T> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot.get(channel) ?? 0);
    const wait = slot - now;
    if (wait > this.options.maxWaitMs) {
      throw new DeliveryError('rate_limited', `channel ${channel} is busy (paced)`, {
        retryAfterMs: wait,
        notPosted: true,
      });
    }
    this.nextSlot.set(channel, slot + this.options.intervalMs);
    this.forgetIdle(now);
    if (wait > 0) await this.sleep(wait);
    return send();
  }

  /** Slack said 429 for this channel: push its next slot past the Retry-After. */
  backOff(channel: string, ms: number): void {
    const at = this.now() + ms;
    if ((this.nextSlot.get(channel) ?? 0) < at) this.nextSlot.set(channel, at);
  }

  private forgetIdle(now: number): void {
    if (this.nextSlot.size < 1_000) return;
    for (const [channel, slot] of this.nextSlot) if (slot < now) this.nextSlot.delete(channel);
  }
}
