import type { Logger } from 'pino';
import { keepRenewing } from '../store/keep-renewing.js';
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
 * Renews a poll's lease while the poll runs, so a slow feed is not polled (and committed) by a
 * second replica meanwhile; if the lease runs out all the same, the fenced commit is what keeps
 * the late poll out. Returns the stop.
 */
export function keepPollLease({ store, fence, leaseMs, log, onLost }: PollLeaseHeartbeat) {
  return keepRenewing({
    renew: () => store.tryLease(fence.name, fence.owner, leaseMs),
    leaseMs,
    log,
    lostMessage: 'poll lease lost while polling; another replica may be polling this service',
    what: 'poll lease',
    onLost,
  });
}
