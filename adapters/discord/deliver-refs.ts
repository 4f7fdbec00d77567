import { createHash } from 'node:crypto';

/**
 * The stable marks that let a retried send find what an earlier attempt already posted: a nonce
 * for ordinary messages, and a footer ref for forum posts (which take no nonce).
 */

/** Discord nonces are at most 25 characters; a hash of the delivery id is stable across retries. */
export const nonceFor = (deliveryId: string): string =>
  createHash('sha256').update(deliveryId).digest('base64url').slice(0, 25);

/** The ref a forum post's starter shows for its thread (`Delivery.thread`): short, stable. */
export const forumRefFor = (thread: string): string =>
  createHash('sha256').update(thread).digest('base64url').slice(0, 12);

export const refSuffix = (ref: string) => ` · ref ${ref}`;
