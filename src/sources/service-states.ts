import type { Service } from '../incidents/model.js';
import type { ServiceState } from '../incidents/state.js';
import type { Store } from '../store/store.js';
import { type Feed, feedsOf } from './feeds.js';
import { reportsFeedOf } from './reports.js';

export interface FeedState {
  feed: Feed;
  state?: ServiceState;
}

/**
 * Every source of a service is reconciled on its own; a reader wants one picture. `merged` holds
 * the open subjects and components of all of them (thread keys are per service, so they never
 * clash) and the first source's health; `feeds` keeps each source's own state for its health line.
 * The reports feed's open incident is merged in too, but it has no health line: it is no page.
 */
export async function readServiceStates(
  store: Store,
  service: Service,
): Promise<{ merged?: ServiceState; feeds: FeedState[] }> {
  const feeds = await Promise.all(
    feedsOf(service).map(async (feed) => {
      const state = await store.getState(feed.key);
      return state ? { feed, state } : { feed };
    }),
  );
  const reports = await store.getState(reportsFeedOf(service).key);
  const states = [
    ...feeds.flatMap((f) => (f.state ? [f.state] : [])),
    ...(reports ? [reports] : []),
  ];
  const [first] = states;
  if (!first) return { feeds };
  const merged: ServiceState = {
    ...first,
    serviceId: service.id,
    baselined: states.some((s) => s.baselined),
    subjects: Object.assign({}, ...states.map((s) => s.subjects)),
    components: Object.assign(
      {},
      ...feeds.map(({ feed, state }) =>
        Object.fromEntries(
          Object.entries(state?.components ?? {}).map(([id, c]) => [`${feed.index}:${id}`, c]),
        ),
      ),
    ),
  };
  delete merged.feedKey;
  return { merged, feeds };
}
