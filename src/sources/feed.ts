import { buildFeedSnapshot } from './feed-format.js';
import { parseFeed } from './feed-schema.js';
import { singleDocumentKind } from './single-document.js';

/**
 * RSS 2.0 and Atom feeds: Statuspage history feeds, AWS's per-service RSS, Azure's active-only
 * feed, and any other producer (`convention`, default `generic`; see feed-format.ts).
 */
export const feedKind = singleDocumentKind({
  kind: 'feed',
  accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8',
  documentUrl: (config) => new URL(config.url).toString(),
  parse: parseFeed,
  build: (feed, ctx) =>
    buildFeedSnapshot({
      serviceId: ctx.service.id,
      fetchedAt: ctx.fetchedAt,
      convention: ctx.config.convention ?? 'generic',
      feedUrl: ctx.url,
      feed,
    }),
});
