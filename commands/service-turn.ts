import { randomUUID } from 'node:crypto';
import { channelKey } from '../src/incidents/subscription.js';
import type { CommandContext } from './command.js';

/** How long one change may hold its service's turn, and how another waits for it. */
const TURN_MS = 10_000;
const TURN_WAIT = { tries: 40, everyMs: 25 };

/**
 * Changes to one channel's subscription of one service take turns under a store lease, on every
 * replica: a button is often pressed twice at once (a double click, two people), and a mute
 * rewrites the subscription it read, which must not bring back one an unsubscribe just removed.
 * So the second change reads what the first one left. A turn not granted within a second (its
 * holder died) is taken anyway.
 */
export async function inServiceTurn<T>(
  ctx: CommandContext,
  serviceId: string,
  run: () => Promise<T>,
): Promise<T> {
  const { store } = ctx.services;
  const name = `subscription-turn:${channelKey(ctx.channel)}:${serviceId}`;
  const owner = randomUUID();
  for (let i = 0; i < TURN_WAIT.tries && !(await store.tryLease(name, owner, TURN_MS)); i++) {
    await new Promise((resolve) => setTimeout(resolve, TURN_WAIT.everyMs));
  }
  try {
    return await run();
  } finally {
    await store.releaseLease(name, owner);
  }
}
