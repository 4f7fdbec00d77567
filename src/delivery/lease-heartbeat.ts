import type { Logger } from 'pino';
import type { Delivery } from '../incidents/subscription.js';
import type { Store } from '../store/store.js';

export interface LeaseHeartbeat {
  store: Store;
  owner: string;
  leaseMs: number;
  delivery: Delivery;
  log: Logger;
}

/**
 * Renews the thread's lease every third of it while a send is in flight, so a slow send (Slack
 * pacing, a long Retry-After) is not claimed and sent again by another replica, while the lease
 * stays short enough that a crashed replica's threads are soon taken over. Returns the stop.
 */
export function keepLease({ store, owner, leaseMs, delivery, log }: LeaseHeartbeat): () => void {
  let settled = false;
  let renewing = false;
  const timer = setInterval(
    () => {
      if (renewing) return;
      renewing = true;
      store
        .renewDeliveryLease(delivery, owner, leaseMs)
        .then(
          (held) => {
            if (held || settled) return;
            clearInterval(timer);
            log.warn(
              'outbox lease lost during the send; another replica may have taken this delivery over',
            );
          },
          (err: unknown) => {
            if (!settled) log.warn({ err }, 'could not renew the outbox lease; will try again');
          },
        )
        .finally(() => {
          renewing = false;
        });
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  // A send in flight must never be what keeps the process alive.
  timer.unref();
  return () => {
    settled = true;
    clearInterval(timer);
  };
}
