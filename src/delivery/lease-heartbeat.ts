import type { Logger } from 'pino';
import type { Delivery } from '../incidents/subscription.js';
import { keepRenewing } from '../store/keep-renewing.js';
import type { Store } from '../store/store.js';

export interface LeaseHeartbeat {
  store: Store;
  owner: string;
  leaseMs: number;
  delivery: Delivery;
  log: Logger;
}

/**
 * Renews the thread's lease while a send is in flight, so a slow send (Slack pacing, a long
 * Retry-After) is not claimed and sent again by another replica, while the lease stays short
 * enough that a crashed replica's threads are soon taken over. Returns the stop.
 */
export function keepLease({ store, owner, leaseMs, delivery, log }: LeaseHeartbeat): () => void {
  return keepRenewing({
    renew: () => store.renewDeliveryLease(delivery, owner, leaseMs),
    leaseMs,
    log,
    lostMessage:
      'outbox lease lost during the send; another replica may have taken this delivery over',
    what: 'outbox lease',
  });
}
