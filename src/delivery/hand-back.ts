import type { Logger } from 'pino';
import type { Delivery } from '../incidents/subscription.js';
import type { Store } from '../store/store.js';

/** One claimed delivery the worker holds, from its claim until its outcome is recorded. */
export interface HeldDelivery {
  delivery: Delivery;
  /** A request that may post went out (or is about to): it can no longer be handed back. */
  sendStarted: boolean;
  /** Given back to the outbox at shutdown: whatever the adapter call does next is ignored. */
  handedBack: boolean;
  stopHeartbeat?: () => void;
  settled?: Promise<void>;
}

/** What stop() did with the deliveries it held. */
export interface WorkerStopReport {
  /** Not sent yet: back in the outbox, due now, for the next start or another replica. */
  handedBack: number;
  /** On the wire at the signal and answered within the grace. */
  finished: number;
  /**
   * Still unanswered after the grace: kept leased, so nobody sends them again before their lease
   * runs out; the next claim knows they may have been posted and looks before sending.
   */
  leftToLease: number;
}

/**
 * Shutting down: back to the head of its thread, due now, its attempts and possiblySent as they
 * were. Synchronously marked first, so its send can no longer begin.
 */
export async function handBack(
  held: HeldDelivery,
  deps: { store: Store; owner: string; now: () => Date; logger: Logger },
): Promise<void> {
  held.handedBack = true;
  held.stopHeartbeat?.();
  const { delivery } = held;
  try {
    await deps.store.retryDelivery(
      delivery,
      deps.owner,
      deps.now(),
      delivery.lastError ?? 'handed back at shutdown',
    );
  } catch (err) {
    // Its lease runs out instead: later, never lost.
    deps.logger.warn({ err, delivery: delivery.id }, 'could not hand a delivery back');
  }
}

/** Thrown into an adapter's deliver() when its delivery was handed back before it was sent. */
export class HandedBack extends Error {
  constructor() {
    super('handed back at shutdown');
  }
}
