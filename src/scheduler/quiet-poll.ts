import type { ServiceState } from '../incidents/state.js';
import { FRESH_STATE_MS } from '../incidents/state.js';

/**
 * A quiet poll's times go unwritten for at most this long: the stored state must stay fresh
 * (isFreshState, FRESH_STATE_MS) for status answers and so that no catch-up is taken for a gap.
 */
export const QUIET_REFRESH_MS = FRESH_STATE_MS / 3;

const lastPolled = (state: ServiceState): number =>
  Math.max(...[state.lastPollAt, state.health.lastOkAt].map((t) => (t ? Date.parse(t) : 0)));

/**
 * Whether the poll's next state is its previous one but for the times a good poll sets
 * (lastPollAt, health.lastOkAt), while those stored are recent: then nothing needs committing.
 */
export function isQuietPoll(
  previous: ServiceState | undefined,
  next: ServiceState,
  at: string,
): boolean {
  if (!previous?.baselined || previous.health.lastOkAt === undefined) return false;
  if (Date.parse(at) - lastPolled(previous) >= QUIET_REFRESH_MS) return false;
  const sameTimes: ServiceState = {
    ...next,
    ...(previous.lastPollAt === undefined ? {} : { lastPollAt: previous.lastPollAt }),
    health: { ...next.health, lastOkAt: previous.health.lastOkAt },
  };
  return JSON.stringify(sameTimes) === JSON.stringify(previous);
}
