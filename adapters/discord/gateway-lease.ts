import type { Logger } from 'pino';
import type { Store } from '../../src/store/store.js';

/**
 * A lease one replica at a time holds (DESIGN "Scale": the Discord gateway session), through the
 * Store's `tryLease`, which extends the lease when its holder asks again. Every `ttl/3` the holder
 * renews and the others try to take it, so a dead holder is replaced within about `ttl + ttl/3`.
 * A holder lets go on its own once `ttl × 2/3` has passed since its last renewal (a local timer,
 * not the answer of a store call that may hang), so it has left while its lease is still valid and
 * two replicas never both act as holder. A holder that cannot serve (`unhealthy`) lets go too.
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
  /** Asked each round while holding: a reason this holder cannot serve, so it hands the lease on. */
  unhealthy?: () => string | undefined;
  /** Monotonic milliseconds (default performance.now). */
  clock?: () => number;
}

export class Lease {
  private held = false;
  private renewedAt = 0;
  /** When the latest round began: the next one is due `ttl/3` after it, however long it took. */
  private roundAt = 0;
  /** Not holding, it does not try for the lease before this (after a failed login, say). */
  private pausedUntil = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private readonly intervalMs: number;
  private readonly deadlineMs: number;
  private readonly clock: () => number;

  constructor(private readonly opts: LeaseOptions) {
    this.intervalMs = Math.max(1, Math.floor(opts.ttlMs / 3));
    this.deadlineMs = Math.max(1, Math.floor((opts.ttlMs * 2) / 3));
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

  /**
   * Hands the lease back (a failed login, say) so another replica, or this one after `pauseMs`,
   * tries again.
   */
  async giveUp(pauseMs = 0): Promise<void> {
    if (pauseMs > 0) this.pausedUntil = this.clock() + pauseMs;
    if (!this.held) return;
    this.drop();
    await this.release();
  }

  /** Ends the rounds (waiting for one in flight); the lease is kept until `giveUp()`. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.deadline);
    await this.round;
  }

  private drop(): void {
    this.held = false;
    clearTimeout(this.deadline);
  }

  /** Lets go when the last renewal gets too old, whatever the store call in flight is doing. */
  private armDeadline(): void {
    clearTimeout(this.deadline);
    const ms = Math.max(0, this.renewedAt + this.deadlineMs - this.clock());
    this.deadline = setTimeout(() => {
      if (!this.held) return;
      this.drop();
      void this.opts.onLost('the gateway lease could not be renewed in time');
    }, ms);
    this.deadline.unref();
  }

  /**
   * The next round is due `ttl/3` after the last one began, not after its answer: a renewal
   * answered late (a starved event loop, a slow store) is followed at once by the next, which
   * still lands before the deadline, instead of `ttl/3` after the late answer, which would not.
   */
  private schedule(): void {
    if (this.stopped) return;
    const dueIn = Math.max(0, this.roundAt + this.intervalMs - this.clock());
    this.timer = setTimeout(() => {
      this.round = this.runRound(false)
        .catch((err: unknown) => this.opts.logger.error({ err }, 'discord: lease round failed'))
        .finally(() => this.schedule());
    }, dueIn);
    // Standing by must not keep a stopping process alive.
    this.timer.unref();
  }

  private async runRound(first: boolean): Promise<void> {
    const { store, name, owner, ttlMs, logger } = this.opts;
    this.roundAt = this.clock();
    const sick = this.held ? this.opts.unhealthy?.() : undefined;
    if (sick) {
      // Renewing would keep every replica from serving: hand over, and leave the next rounds to
      // the others.
      this.drop();
      this.pausedUntil = this.clock() + 2 * this.intervalMs;
      await this.opts.onLost(sick);
      await this.release();
      return;
    }
    if (!this.held && this.clock() < this.pausedUntil) return;
    const askedAt = this.clock();
    let won: boolean;
    try {
      won = await store.tryLease(name, owner, ttlMs);
    } catch (err) {
      if (first) throw err;
      logger.warn({ err, lease: name }, 'discord: could not reach the store for the gateway lease');
      return;
    }
    if (this.stopped) {
      if (won && !this.held) await this.release();
      return;
    }
    if (won && !this.held && this.clock() - askedAt >= this.deadlineMs) {
      // Won, but the answer came too late to act on safely: the deadline would drop it at once.
      await this.release();
      return;
    }
    if (won) {
      this.renewedAt = askedAt;
      this.armDeadline();
      if (!this.held) {
        this.held = true;
        this.opts.onAcquired();
      }
    } else if (this.held) {
      this.drop();
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
