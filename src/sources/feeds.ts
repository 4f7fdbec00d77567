import type { Service, SourceConfig } from '../incidents/model.js';

/**
 * One source of one service, polled on its own schedule with its own state, backoff and health.
 * The first source's key is the service id (so state recorded before services had several sources
 * still applies); the others' name their position and kind, `github#1:feed`.
 */
export interface Feed {
  key: string;
  service: Service;
  index: number;
  config: SourceConfig;
}

export const feedKey = (service: Service, index: number, config: SourceConfig): string =>
  index === 0 ? service.id : `${service.id}#${index}:${config.kind}`;

export function feedsOf(service: Service): Feed[] {
  return service.sources.map((config, index) => ({
    key: feedKey(service, index, config),
    service,
    index,
    config,
  }));
}

/** A poll target for the scheduler: its id is the feed key. */
export interface PollTarget {
  id: string;
  feed: Feed;
}

export const pollTargetsOf = (service: Service): PollTarget[] =>
  feedsOf(service).map((feed) => ({ id: feed.key, feed }));
