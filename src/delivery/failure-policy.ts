import type { Delivery } from '../incidents/subscription.js';
import { type BackoffPolicy, backoffDelay } from '../scheduler/backoff.js';
import { DeliveryError } from './chat-adapter.js';

const TRANSIENT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000 };
const PERMANENT_BACKOFF: BackoffPolicy = { baseMs: 60_000, maxMs: 60 * 60_000 };
/** A permission is granted by a person: check back now and then, not in a tight loop. */
const MISSING_PERMISSION_BACKOFF: BackoffPolicy = { baseMs: 5 * 60_000, maxMs: 6 * 60 * 60_000 };
/** Refused again after this many attempts: it is the message, not the moment; park it. */
export const PARK_AFTER_ATTEMPTS = 5;
/** A platform that is not configured (any more) keeps its deliveries; they wait, not vanish... */
export const NO_ADAPTER_RETRY_MS = 10 * 60_000;
/**
 * ...for this long after they were enqueued, then they are parked as dead letters: at most
 * 7 days / 10 min = 1,008 retries each, instead of retrying forever.
 */
export const NO_ADAPTER_MAX_AGE_MS = 7 * 24 * 60 * 60_000;

/** What the worker does with a delivery whose send failed. */
export type FailurePlan =
  | { action: 'suspend'; reason: string }
  | { action: 'park'; reason: string }
  | {
      action: 'retry';
      delayMs: number;
      /** Stored with the delivery; starts with the kind, so the next failure knows this one. */
      error: string;
      /** The delivery as it goes back: attempts counted, possiblySent as this attempt left it. */
      next: Delivery;
      level: 'warn' | 'error';
      /** missing_permission: what to tell the channel (once). */
      permission?: string;
    };

export interface FailureContext {
  /** A request that may have posted went out during this attempt. */
  sendStarted: boolean;
  random?: () => number;
}

/** The error as the adapter contract has it: anything else is a transient failure. */
export function asDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  return new DeliveryError('transient', err instanceof Error ? err.message : String(err));
}

/**
 * Pure: the plan for a failed attempt. Only a gone channel suspends; a missing permission waits
 * (long, capped) for someone to grant it; a refusal repeated PARK_AFTER_ATTEMPTS times parks.
 */
export function planFailure(
  delivery: Delivery,
  failure: DeliveryError,
  context: FailureContext,
): FailurePlan {
  if (failure.kind === 'channel_gone') return { action: 'suspend', reason: failure.message };
  const attempts = delivery.attempts + 1;
  const refusedBefore = delivery.lastError?.startsWith('permanent:') === true;
  if (failure.kind === 'permanent' && refusedBefore && attempts >= PARK_AFTER_ATTEMPTS) {
    return { action: 'park', reason: failure.message };
  }
  const delayMs =
    failure.kind === 'rate_limited'
      ? (failure.retryAfterMs ?? 1_000)
      : backoffDelay(attempts, backoffFor(failure.kind), context.random);
  // A refused post proves nothing reached the platform in this attempt, and it came after any
  // look for an earlier copy: the retry need not look again.
  const possiblySent = failure.notPosted
    ? false
    : delivery.possiblySent === true || context.sendStarted;
  return {
    action: 'retry',
    delayMs,
    error: `${failure.kind}: ${failure.message}`,
    next: { ...delivery, attempts, possiblySent },
    level: failure.kind === 'permanent' ? 'error' : 'warn',
    ...(failure.kind === 'missing_permission'
      ? { permission: failure.permission ?? 'a permission' }
      : {}),
  };
}

function backoffFor(kind: DeliveryError['kind']): BackoffPolicy {
  if (kind === 'permanent') return PERMANENT_BACKOFF;
  if (kind === 'missing_permission') return MISSING_PERMISSION_BACKOFF;
  return TRANSIENT_BACKOFF;
}

/** Pure: a delivery whose platform has no adapter waits, up to NO_ADAPTER_MAX_AGE_MS. */
export function planNoAdapter(delivery: Delivery, now: Date): FailurePlan {
  const age = now.getTime() - Date.parse(delivery.enqueuedAt);
  if (age >= NO_ADAPTER_MAX_AGE_MS) {
    return {
      action: 'park',
      reason: `platform ${delivery.channel.platform} not configured for ${Math.floor(age / 86_400_000)} days`,
    };
  }
  return {
    action: 'retry',
    delayMs: NO_ADAPTER_RETRY_MS,
    error: 'transient: platform not configured',
    next: delivery,
    level: 'warn',
  };
}
