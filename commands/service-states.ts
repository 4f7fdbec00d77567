import { type FeedState, readServiceStates } from '../src/sources/service-states.js';
import { formatTime, plural } from './format.js';

export { type FeedState, readServiceStates };

/** One line per source: what it is and how it is doing, for `/outage status <service>`. */
export function sourceHealthLine({ feed, state }: FeedState): string {
  const what = `${feed.config.kind} ${shortUrl(feed.config.url)}`;
  if (!state) return `${what}: not polled yet`;
  const probe = state.probe;
  if (probe && probe.failures > 0) {
    return `${what}: failing (${probe.lastDetail ?? 'no answer'}) since ${formatTime(probe.failingSince ?? state.lastPollAt ?? '')}, ${plural(probe.failures, 'check')} in a row`;
  }
  const h = state.health;
  if (h.consecutiveFailures > 0) {
    const since = h.lastOkAt ? `since ${formatTime(h.lastOkAt)}` : 'since the first poll';
    return `${what}: unreachable ${since} (${plural(h.consecutiveFailures, 'failed poll')})`;
  }
  return h.lastOkAt ? `${what}: healthy, last read ${formatTime(h.lastOkAt)}` : `${what}: healthy`;
}

const shortUrl = (url: string): string => url.replace(/^https?:\/\//, '').replace(/\/$/, '');
