import pLimit, { type LimitFunction } from 'p-limit';

/**
 * At most `limit` polls run at once, the rest wait in arrival order (p-limit). A slow task
 * occupies one slot only, so it never holds up the others beyond that.
 */
export class ConcurrencyLimiter {
  private readonly limit: LimitFunction;

  constructor(limit: number) {
    this.limit = pLimit(limit);
  }

  get active(): number {
    return this.limit.activeCount;
  }

  get queued(): number {
    return this.limit.pendingCount;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    return this.limit(task);
  }
}
