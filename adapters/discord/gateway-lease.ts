import type { Logger } from 'pino';
import type { Store } from '../../src/store/store.js';

/**
 * A lease one replica at a time holds (DESIGN "Scale": the Discord gateway session), through the
 * Store's `tryLease`, which extends the lease when its holder asks again. Every `ttl/3` the holder
 * renews and the others try to take it, so a dead holder is replaced within about `ttl + ttl/3`.
 * A holder that cannot reach the store lets go while its lease is still valid (before the next
 * round would be too late), so two replicas never both act as holder.
 */

export type LeaseStore = Pick<Store, 'tryLease' | 'releaseLease'>;

export interface LeaseOptions {
  store: LeaseStore;
  name: string;
  owner: string;
  ttlMs: number;
  logger: Logger;
  /** Won the lease (at start or later). Must not throw; call `giveUp()` on failure. */
  onAcquired(): void;
  /** Lost the lease (taken over or not renewed in time). Must not throw. */
  onLost(reason: string): Promise<void>;
  /** Monotonic milliseconds (default performance.now). */
  clock?: () => number;
}

export class Lease {
  private held = false;
  private renewedAt = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private readonly intervalMs: number;
  private readonly clock: () => number;

  constructor(private readonly opts: LeaseOptions) {
    this.intervalMs = Math.max(1, Math.floor(opts.ttlMs / 3));
    this.clock = opts.clock ?? (() => performance.now());
  }

  get holds(): boolean {
    return this.held;
  }

  /** One round now (a store error is thrown), then one every ttl/3 until stop(). */
  async start(): Promise<void> {
    await this.runRound(true);
    this.schedule();
  }

  /** Hands the lease back (a failed login, say) so this or another replica tries again later. */
  async giveUp(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await this.release();
  }

  /** Ends the rounds (waiting for one in flight); the lease is kept until `giveUp()`. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.runRound(false)
        .catch((err: unknown) => this.opts.logger.error({ err }, 'discord: lease round failed'))
        .finally(() => this.schedule());
    }, this.intervalMs);
    // Standing by must not keep a stopping process alive.
    this.timer.unref();
  }

  private async runRound(first: boolean): Promise<void> {
    const { store, name, owner, ttlMs, logger } = this.opts;
    const askedAt = this.clock();
    let won: boolean;
    try {
      won = await store.tryLease(name, owner, ttlMs);
    } catch (err) {
      if (first) throw err;
      logger.warn({ err, lease: name }, 'discord: could not reach the store for the gateway lease');
      // The lease runs out before the next round could renew it: let go now.
      if (this.held && this.clock() - this.renewedAt + this.intervalMs >= ttlMs) {
        this.held = false;
        await this.opts.onLost('the gateway lease could not be renewed in time');
      }
      return;
    }
    if (this.stopped) {
      if (won && !this.held) await this.release();
      return;
    }
    if (won) {
      this.renewedAt = askedAt;
      if (!this.held) {
        this.held = true;
        this.opts.onAcquired();
      }
    } else if (this.held) {
      this.held = false;
      await this.opts.onLost('another replica holds the gateway lease');
    }
  }

  private async release(): Promise<void> {
    await this.opts.store
      .releaseLease(this.opts.name, this.opts.owner)
      .catch((err: unknown) =>
        this.opts.logger.warn({ err, lease: this.opts.name }, 'discord: could not release a lease'),
      );
  }
}
