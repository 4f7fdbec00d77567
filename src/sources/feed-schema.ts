import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { badBody, type ParseResult } from './json-body.js';

/**
 * RSS 2.0 and Atom XML -> one flat list of items, whatever the dialect. fast-xml-parser reads
 * the XML (entities decoded, CDATA merged into text); zod checks the shape with unknown fields
 * ignored, since producers add their own (`maintenanceEndDate`, `a10:updated`, `dc:creator`).
 * Text stays raw HTML here: feed-format.ts decides how to read it.
 */

export interface FeedItem {
  /** RSS `guid`, Atom `id`. */
  id?: string;
  title: string;
  link?: string;
  /** RSS `description` (or `content:encoded`), Atom `content` (or `summary`): HTML or text. */
  description: string;
  /** RSS `pubDate`, Atom `published`, as written. */
  published?: string;
  /** Atom `updated`. */
  updated?: string;
  /** Statuspage's RSS extension for maintenance windows. */
  maintenanceEndDate?: string;
}

export interface FeedDocument {
  title?: string;
  link?: string;
  items: FeedItem[];
}

/** Element text: a string, a number the parser left alone, or `{ '#text': ... }` with attributes. */
const textValue = z
  .union([
    z.string(),
    z.number(),
    z.boolean(),
    z.looseObject({ '#text': z.union([z.string(), z.number()]).optional() }),
  ])
  .transform((v) => (typeof v === 'object' ? String(v['#text'] ?? '') : String(v)).trim());
const text = textValue.optional();

const atomLink = z.union([
  z.string().transform((href) => ({ href, rel: undefined as string | undefined })),
  z
    .looseObject({ '@_href': z.string().optional(), '@_rel': z.string().optional() })
    .transform((l) => ({ href: l['@_href'], rel: l['@_rel'] })),
]);

const rssItem = z.looseObject({
  title: text,
  link: text,
  guid: text,
  description: text,
  'content:encoded': text,
  pubDate: text,
  maintenanceEndDate: text,
});

const atomEntry = z.looseObject({
  id: text,
  title: text,
  link: z.array(atomLink).optional(),
  content: text,
  summary: text,
  published: text,
  updated: text,
});

const rssDocument = z.object({
  rss: z.looseObject({
    channel: z.looseObject({
      title: text,
      link: text,
      // An empty <channel> parses to '' in places; no items then.
      item: z.array(z.union([rssItem, z.literal('')])).optional(),
    }),
  }),
});

const atomDocument = z.object({
  feed: z.looseObject({
    title: text,
    link: z.array(atomLink).optional(),
    entry: z.array(z.union([atomEntry, z.literal('')])).optional(),
  }),
});

/** Elements that may repeat, always read as lists (a feed with one item is still a list). */
const LIST_PATHS = new Set(['rss.channel.item', 'feed.entry', 'feed.link', 'feed.entry.link']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  jPath: true,
  processEntities: { enabled: true, maxEntityCount: 0, maxTotalExpansions: 10_000 },
  isArray: (_name, jPath) => typeof jPath === 'string' && LIST_PATHS.has(jPath),
});

const nonEmpty = (value: string | undefined): string | undefined => (value ? value : undefined);

const alternateHref = (links: { href?: string | undefined; rel?: string | undefined }[] = []) =>
  nonEmpty(links.find((l) => !l.rel || l.rel === 'alternate')?.href ?? links[0]?.href);

function fromRss(doc: z.infer<typeof rssDocument>): FeedDocument {
  const items = (doc.rss.channel.item ?? []).flatMap((raw): FeedItem[] => {
    if (raw === '') return [];
    const item: FeedItem = {
      title: raw.title ?? '',
      description: raw['content:encoded'] || raw.description || '',
    };
    const extras = {
      id: nonEmpty(raw.guid),
      link: nonEmpty(raw.link),
      published: nonEmpty(raw.pubDate),
      maintenanceEndDate: nonEmpty(raw.maintenanceEndDate),
    };
    for (const [key, value] of Object.entries(extras)) {
      if (value !== undefined) item[key as keyof typeof extras] = value;
    }
    return [item];
  });
  const feed: FeedDocument = { items };
  if (doc.rss.channel.title) feed.title = doc.rss.channel.title;
  if (doc.rss.channel.link) feed.link = doc.rss.channel.link;
  return feed;
}

function fromAtom(doc: z.infer<typeof atomDocument>): FeedDocument {
  const items = (doc.feed.entry ?? []).flatMap((raw): FeedItem[] => {
    if (raw === '') return [];
    const item: FeedItem = {
      title: raw.title ?? '',
      description: raw.content || raw.summary || '',
    };
    const extras = {
      id: nonEmpty(raw.id),
      link: alternateHref(raw.link),
      published: nonEmpty(raw.published) ?? nonEmpty(raw.updated),
      updated: nonEmpty(raw.updated),
    };
    for (const [key, value] of Object.entries(extras)) {
      if (value !== undefined) item[key as keyof typeof extras] = value;
    }
    return [item];
  });
  const feed: FeedDocument = { items };
  if (doc.feed.title) feed.title = doc.feed.title;
  const link = alternateHref(doc.feed.link);
  if (link) feed.link = link;
  return feed;
}

/** Refuses what is not a well-formed RSS or Atom document as `bad_body`; never throws. */
export function parseFeed(body: string): ParseResult<FeedDocument> {
  const xml = body.replace(/^\uFEFF/, '').trim();
  if (!xml.startsWith('<')) return badBody('feed: not XML');
  // Status feeds need no DTD; refusing entity declarations rules out expansion attacks.
  if (xml.includes('<!ENTITY')) return badBody('feed: entity declarations are not accepted');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    return badBody(`feed: malformed XML (line ${valid.err.line}: ${valid.err.msg})`);
  }
  let parsed: unknown;
  try {
    parsed = parser.parse(xml);
  } catch (err) {
    return badBody(`feed: unreadable XML (${(err as Error).message})`);
  }
  const rss = rssDocument.safeParse(parsed);
  if (rss.success) return { ok: true, value: fromRss(rss.data) };
  const atom = atomDocument.safeParse(parsed);
  if (atom.success) return { ok: true, value: fromAtom(atom.data) };
  const root =
    parsed && typeof parsed === 'object' ? Object.keys(parsed).filter((k) => k !== '?xml') : [];
  const issue = (root.includes('feed') ? atom : rss).error?.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  return badBody(
    root.includes('rss') || root.includes('feed')
      ? `feed: unexpected shape${where}: ${issue?.message ?? 'invalid'}`
      : `feed: not an RSS or Atom feed (root: ${root.join(', ') || 'none'})`,
  );
}
