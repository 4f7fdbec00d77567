import {
  type FeedConvention,
  type Impact,
  type Incident,
  type IncidentStatus,
  type IncidentUpdate,
  impactRank,
  type Maintenance,
  type MaintenanceStatus,
  type Snapshot,
} from '../incidents/model.js';
import {
  type FeedStatus,
  isMaintenanceStatus,
  splitAwsTitle,
  splitTitle,
  statedStatus,
} from './feed-labels.js';
import type { FeedDocument, FeedItem } from './feed-schema.js';
import { parseStatuspageBody } from './feed-statuspage-body.js';
import { toPlainText } from './plain-text.js';
import { shortHash, toIsoUtc } from './values.js';

/**
 * A parsed feed -> Snapshot, read by the producer's conventions (source-formats.md section 14):
 * - generic: one item per incident, its state in a title prefix or the body's first label;
 *   each new date or body text is an update.
 * - statuspage: one item per incident or maintenance, every update in the body.
 * - aws: one item per update; items of one service-region and title are one incident.
 * - azure: items only while something is active; an item that leaves is resolved only as the
 *   reconciler's absence rules allow (`resolutionsKnown` false).
 * Feeds carry no severity: incidents are `minor` unless the producer says otherwise.
 */

export interface FeedSnapshotInput {
  serviceId: string;
  fetchedAt: string;
  convention: FeedConvention;
  /** The configured feed URL: relative links resolve against it, and it is the fallback page. */
  feedUrl: string;
  feed: FeedDocument;
}

const DEFAULT_IMPACT: Impact = 'minor';

const itemKey = (item: FeedItem): string =>
  item.id ?? item.link ?? `title:${shortHash(item.title || item.description)}`;

/** Only http(s) links are kept: a feed is untrusted and `javascript:` links exist. */
function safeLink(href: string | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

const itemTime = (item: FeedItem): string | undefined =>
  toIsoUtc(item.updated) ?? toIsoUtc(item.published);

interface Built {
  incidents: Incident[];
  maintenances: Maintenance[];
}

function incident(
  item: FeedItem,
  input: FeedSnapshotInput,
  fields: Pick<Incident, 'id' | 'title' | 'status' | 'updates' | 'startedAt'> & {
    impact?: Impact;
    components?: string[];
  },
): Incident {
  const built: Incident = {
    impact: DEFAULT_IMPACT,
    components: [],
    origin: 'status_page',
    ...fields,
  };
  const url = safeLink(item.link, input.feedUrl);
  if (url) built.url = url;
  if (built.status === 'resolved') built.resolvedAt = built.updates.at(-1)?.at ?? built.startedAt;
  return built;
}

const asIncidentStatus = (s: FeedStatus | undefined): IncidentStatus =>
  s === undefined || s === 'scheduled' || s === 'in_progress'
    ? 'investigating'
    : s === 'completed'
      ? 'resolved'
      : s;

function generic(input: FeedSnapshotInput, activeOnly: boolean): Built {
  const incidents = input.feed.items.map((item) => {
    const at = itemTime(item) ?? input.fetchedAt;
    const stated = statedStatus(item.title, item.description);
    const status = activeOnly && !stated ? 'investigating' : asIncidentStatus(stated);
    const body = toPlainText(item.description) || item.title;
    const update: IncidentUpdate = { id: `${at}:${shortHash(body)}`, status, body, at };
    return incident(item, input, {
      id: itemKey(item),
      title: splitTitle(item.title).title || 'Untitled',
      status,
      updates: [update],
      startedAt: toIsoUtc(item.published) ?? at,
    });
  });
  return { incidents, maintenances: [] };
}

function statuspage(input: FeedSnapshotInput): Built {
  const built: Built = { incidents: [], maintenances: [] };
  const fetchedMs = Date.parse(input.fetchedAt);
  for (const item of input.feed.items) {
    const reference = Date.parse(itemTime(item) ?? input.fetchedAt);
    const body = parseStatuspageBody(
      item.description,
      Number.isNaN(reference) ? fetchedMs : reference,
    );
    const kind = body.maintenance ? 'maintenance' : 'incident';
    let status: FeedStatus = kind === 'maintenance' ? 'scheduled' : 'investigating';
    const updates: IncidentUpdate[] = body.updates.map((u) => {
      if (u.status) status = u.status;
      return { ...u.update, status };
    });
    const current = statedStatus('', item.description) ?? status;
    if (updates.length === 0) {
      const at = itemTime(item) ?? input.fetchedAt;
      const text = toPlainText(item.description) || item.title;
      updates.push({ id: `${at}:${shortHash(text)}`, status: current, body: text, at });
    }
    const first = updates[0]?.at ?? input.fetchedAt;
    const id = itemKey(item);
    const title = item.title || 'Untitled';
    if (kind === 'incident') {
      built.incidents.push(
        incident(item, input, {
          id,
          title,
          status: asIncidentStatus(current),
          updates,
          startedAt: first,
        }),
      );
      continue;
    }
    const maintenanceStatus: MaintenanceStatus = isMaintenanceStatus(current)
      ? current
      : current === 'resolved'
        ? 'completed'
        : 'in_progress';
    const scheduledFor =
      body.window?.from ??
      updates.find((u) => u.status === 'in_progress')?.at ??
      toIsoUtc(item.published) ??
      first;
    const maintenance: Maintenance = {
      id,
      title,
      status: maintenanceStatus,
      impact: 'none',
      components: [],
      updates,
      scheduledFor,
    };
    const until = toIsoUtc(item.maintenanceEndDate) ?? body.window?.until;
    if (until) maintenance.scheduledUntil = until;
    const url = safeLink(item.link, input.feedUrl);
    if (url) maintenance.url = url;
    built.maintenances.push(maintenance);
  }
  return built;
}

/** `http://status.aws.amazon.com/#sns-us-east-1_1642200240` -> `sns-us-east-1`. */
const awsServiceRegion = (guid: string | undefined): string | undefined =>
  /#([a-z0-9-]+)_\d+$/i.exec(guid ?? '')?.[1];

function aws(input: FeedSnapshotInput): Built {
  const groups = new Map<string, { item: FeedItem; at: string; order: number }[]>();
  input.feed.items.forEach((item, order) => {
    const { title } = splitAwsTitle(item.title);
    const scope = awsServiceRegion(item.id) ?? 'all';
    const key = `${scope}:${shortHash(title.toLowerCase())}`;
    const at = itemTime(item) ?? input.fetchedAt;
    groups.set(key, [...(groups.get(key) ?? []), { item, at, order }]);
  });
  const incidents = [...groups].map(([key, members]) => {
    // Feeds list newest first; equal times keep the feed's order reversed (oldest first).
    const ordered = members.sort(
      (a, b) => Date.parse(a.at) - Date.parse(b.at) || b.order - a.order,
    );
    let impact: Impact = 'none';
    const updates: IncidentUpdate[] = ordered.map(({ item, at }) => {
      const split = splitAwsTitle(item.title);
      if (split.impact && impactRank(split.impact) > impactRank(impact)) impact = split.impact;
      const body = toPlainText(item.description) || split.title;
      return {
        id: item.id ?? `${at}:${shortHash(body)}`,
        status: split.resolved ? 'resolved' : 'investigating',
        body,
        at,
      };
    });
    const newest = ordered.at(-1) as { item: FeedItem };
    const scope = awsServiceRegion(newest.item.id);
    return incident(newest.item, input, {
      id: key,
      title: splitAwsTitle(ordered[0]?.item.title ?? '').title || 'AWS event',
      status: updates.at(-1)?.status === 'resolved' ? 'resolved' : 'investigating',
      updates,
      startedAt: updates[0]?.at ?? input.fetchedAt,
      impact,
      components: scope ? [scope] : [],
    });
  });
  return { incidents, maintenances: [] };
}

export function buildFeedSnapshot(input: FeedSnapshotInput): Snapshot {
  const built =
    input.convention === 'statuspage'
      ? statuspage(input)
      : input.convention === 'aws'
        ? aws(input)
        : generic(input, input.convention === 'azure');
  const pageUrl = safeLink(input.feed.link, input.feedUrl) ?? input.feedUrl;
  return {
    serviceId: input.serviceId,
    fetchedAt: input.fetchedAt,
    incidents: built.incidents,
    maintenances: built.maintenances,
    components: [],
    // Azure and generic feeds may simply drop an item: its absence alone must not resolve it
    // quickly. Statuspage and AWS feeds are histories that state every resolution.
    resolutionsKnown: input.convention === 'statuspage' || input.convention === 'aws',
    pageUrl: pageUrl.replace(/\/+$/, ''),
  };
}
