import { Parser } from 'htmlparser2';
import type { SourceConfig } from '../incidents/model.js';
import type { FetchResult } from './safe-fetch.js';

/** One GET under the caller's rules (public addresses only for chat-given URLs, size, time). */
export type DetectGet = (url: string) => Promise<FetchResult>;

export type Detection =
  | { ok: true; source: SourceConfig; pageName?: string }
  | { ok: false; tried: string[] };

interface Candidate {
  /** What the reply says was tried. */
  label: string;
  path: (base: string, page: URL) => string;
  /** The source (and the page's own name) when the answer is this kind's, undefined otherwise. */
  match: (text: string, base: string) => Promise<Found | undefined> | Found | undefined;
}

interface Found {
  source: SourceConfig;
  pageName?: string;
}

/** A page's name as it gives it, when it is a short non-empty string. */
const nameOf = (v: unknown): string | undefined => {
  if (typeof v !== 'string') return undefined;
  const name = v.replace(/\s+/g, ' ').trim();
  return name && name.length <= 100 ? name : undefined;
};
const found = (source: SourceConfig, pageName?: string): Found =>
  pageName ? { source, pageName } : { source };

const json = (text: string): unknown => {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
};
const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** incident.io ids are ULIDs; Statuspage ids are 12-char base36. */
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * Finds how a status page URL given in chat can be read. Every API is asked at once (each GET
 * under the caller's address rules); the first kind in this order that answers in its own shape
 * wins, so a Statuspage clone is read as Statuspage unless it shows incident.io's marks.
 */
export async function detectSource(raw: string, get: DetectGet): Promise<Detection> {
  const page = new URL(raw);
  const base = pageBase(page);
  const direct = directKind(page);
  if (direct) return { ok: true, source: direct };
  const candidates = candidatesFor(get);
  const answers = await Promise.all(
    candidates.map(async (c) => {
      const url = c.path(base, page);
      const res = await get(url);
      if (!res.ok || res.status !== 200) return undefined;
      return c.match(res.body, base);
    }),
  );
  const hit = answers.find((a) => a !== undefined);
  // Another API of the same page may give its name when the winning one does not.
  const pageName = hit?.pageName ?? answers.find((a) => a?.pageName)?.pageName;
  if (hit) return { ok: true, ...found(hit.source, pageName) };
  return { ok: false, tried: candidates.map((c) => `${c.label}: ${c.path(base, page)}`) };
}

/** URLs that name their API outright need no guessing. */
function directKind(page: URL): SourceConfig | undefined {
  if (page.hostname === 'api.status.io' || /^\/pages\/[0-9a-f]{24}/.test(page.pathname)) {
    const id = /[0-9a-f]{24}/.exec(page.pathname)?.[0];
    if (id) return { kind: 'statusio', url: `https://api.status.io/1.0/status/${id}` };
  }
  return undefined;
}

/** The page a URL names, without an API path or trailing slash: the API URL and the page agree. */
export function pageBase(page: URL): string {
  const path = page.pathname
    .replace(/\/(api\/v[12]\/.*|summary\.json|index\.json|v[23]\/.*)$/, '')
    .replace(/\/+$/, '');
  return `${page.origin}${path}`;
}

function candidatesFor(get: DetectGet): Candidate[] {
  return [
    {
      label: 'incident.io widget API',
      path: (base) => `${base}/api/v1/summary`,
      match: (text, base) =>
        Array.isArray(obj(json(text))?.ongoing_incidents)
          ? found({ kind: 'incidentio', url: base })
          : undefined,
    },
    {
      label: 'incident.io page proxy',
      path: (_base, page) => `${page.origin}/proxy/${page.host}`,
      match: (text, base) => {
        const summary = obj(obj(json(text))?.summary);
        return summary ? found({ kind: 'incidentio', url: base }, nameOf(summary.name)) : undefined;
      },
    },
    {
      label: 'Statuspage API',
      path: (base) => `${base}/api/v2/summary.json`,
      match: (text, base) => {
        const pageInfo = obj(obj(json(text))?.page);
        if (!pageInfo || typeof pageInfo.id !== 'string') return undefined;
        const kind = ULID.test(pageInfo.id) ? 'incidentio' : 'statuspage';
        return found({ kind, url: base }, nameOf(pageInfo.name));
      },
    },
    {
      label: 'Instatus summary',
      path: (base) => `${base}/summary.json`,
      match: (text, base) => {
        const pageInfo = obj(obj(json(text))?.page);
        const status = pageInfo?.status;
        return typeof status === 'string' && /^(UP|HASISSUES|UNDERMAINTENANCE)$/.test(status)
          ? found({ kind: 'instatus', url: base }, nameOf(pageInfo?.name))
          : undefined;
      },
    },
    {
      label: 'Better Stack index',
      path: (base) => `${base}/index.json`,
      match: (text, base) => {
        const data = obj(obj(json(text))?.data);
        return data?.type === 'status_page'
          ? found({ kind: 'betterstack', url: base }, nameOf(obj(data.attributes)?.company_name))
          : undefined;
      },
    },
    {
      label: 'Cachet API',
      path: (base) => `${base}/api/v1/ping`,
      match: (text, base) =>
        obj(json(text))?.data === 'Pong!' ? found({ kind: 'cachet', url: base }) : undefined,
    },
    {
      label: 'the page itself (RSS/Atom link)',
      path: (_base, page) => page.href,
      match: (text, base) => feedLinkIn(text, base, get),
    },
  ];
}

/** status.io embeds its API id; otherwise a `<link rel="alternate">` feed, if it answers. */
async function feedLinkIn(html: string, base: string, get: DetectGet): Promise<Found | undefined> {
  const { feed: href, title } = readHead(html);
  const statusio = /api\.status\.io\/1\.0\/status\/([0-9a-f]{24})/.exec(html)?.[1];
  if (statusio)
    return found({ kind: 'statusio', url: `https://api.status.io/1.0/status/${statusio}` }, title);
  if (!href) return undefined;
  let url: string;
  try {
    url = new URL(href, `${base}/`).href;
  } catch {
    return undefined;
  }
  const res = await get(url);
  if (!res.ok || res.status !== 200 || !/<(rss|feed)[\s>]/.test(res.body.slice(0, 2048)))
    return undefined;
  return found({ kind: 'feed', url }, title);
}

/** The first `<link rel="alternate">` feed and the `<title>` of a page's HTML. */
function readHead(html: string): { feed?: string; title?: string } {
  let href: string | undefined;
  let title: string | undefined;
  let inTitle = false;
  const parser = new Parser({
    ontext(text) {
      if (inTitle) title = (title ?? '') + text;
    },
    onclosetag(name) {
      if (name === 'title') inTitle = false;
    },
    onopentag(name, attrs) {
      if (name === 'title' && title === undefined) inTitle = true;
      if (href || name !== 'link') return;
      const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
      const type = (attrs.type ?? '').toLowerCase();
      if (rel.includes('alternate') && /application\/(rss|atom)\+xml/.test(type) && attrs.href)
        href = attrs.href;
    },
  });
  parser.write(html.slice(0, 512 * 1024));
  parser.end();
  return { feed: href, title: nameOf(title) };
}
