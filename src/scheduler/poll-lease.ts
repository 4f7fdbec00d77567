import type { Logger } from 'pino';
import type { LeaseFence, Store } from '../store/store.js';

export interface PollLeaseHeartbeat {
  store: Pick<Store, 'tryLease'>;
  fence: LeaseFence;
  leaseMs: number;
  log: Logger;
  /** The lease went to someone else: the poll should stop, its commit would be refused anyway. */
  onLost: () => void;
}

/**
 * Renews a poll's lease every third of it while the poll runs, so a slow feed is not polled (and
 * committed) by a second replica meanwhile. A renewal that errors is tried again on the next beat;
 * if the lease runs out all the same, the fenced commit is what keeps the late poll out.
 * Returns the stop.
 */
export function keepPollLease({ store, fence, leaseMs, log, onLost }: PollLeaseHeartbeat) {
  let stopped = false;
  let renewing = false;
  const timer = setInterval(
    () => {
      if (renewing) return;
      renewing = true;
      store
        .tryLease(fence.name, fence.owner, leaseMs)
        .then(
          (held) => {
            if (held || stopped) return;
            clearInterval(timer);
            log.warn('poll lease lost while polling; another replica may be polling this service');
            onLost();
          },
          (err: unknown) => {
            if (!stopped) log.warn({ err }, 'could not renew the poll lease; will try again');
          },
        )
        .finally(() => {
          renewing = false;
        });
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  // A poll in flight must never be what keeps the process alive.
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
