import { awsWalk, feedWalk, gcpWalk, metastatusWalk, slackWalk } from './feed-kind-walks.js';
import type { KindWalk } from './kind-walk-helpers.js';
import { PAGE_KINDS, pageKindWalk } from './page-kind-walks.js';

export type { KindWalk, WalkStep } from './kind-walk-helpers.js';

/**
 * For each source kind but statuspage and probe: a fixture server, the service pointing at it,
 * and the walk of its written fixtures through the states the kind can tell (open, update,
 * resolved; maintenance scheduled, in progress, completed where it carries maintenance).
 * One walk per kind, each on its own fixture server (the caller closes them).
 */
export async function allKindWalks(): Promise<KindWalk[]> {
  return Promise.all([
    ...PAGE_KINDS.map(pageKindWalk),
    feedWalk(),
    gcpWalk(),
    awsWalk(),
    slackWalk(),
    metastatusWalk(),
  ]);
}
