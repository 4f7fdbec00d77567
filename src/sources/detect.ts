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
  /** The source config when the answer (its text) is this kind's, undefined otherwise. */
  match: (
    text: string,
    base: string,
  ) => Promise<SourceConfig | undefined> | SourceConfig | undefined;
}

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
  const base = baseOf(page);
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
  const source = answers.find((a) => a !== undefined);
  if (source) return { ok: true, source };
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

function baseOf(page: URL): string {
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
          ? { kind: 'incidentio', url: base }
          : undefined,
    },
    {
      label: 'incident.io page proxy',
      path: (_base, page) => `${page.origin}/proxy/${page.host}`,
      match: (text, base) =>
        obj(obj(json(text))?.summary) ? { kind: 'incidentio', url: base } : undefined,
    },
    {
      label: 'Statuspage API',
      path: (base) => `${base}/api/v2/summary.json`,
      match: (text, base) => {
        const pageInfo = obj(obj(json(text))?.page);
        if (!pageInfo || typeof pageInfo.id !== 'string') return undefined;
        const kind = ULID.test(pageInfo.id) ? 'incidentio' : 'statuspage';
        return { kind, url: base };
      },
    },
    {
      label: 'Instatus summary',
      path: (base) => `${base}/summary.json`,
      match: (text, base) => {
        const status = obj(obj(json(text))?.page)?.status;
        return typeof status === 'string' && /^(UP|HASISSUES|UNDERMAINTENANCE)$/.test(status)
          ? { kind: 'instatus', url: base }
          : undefined;
      },
    },
    {
      label: 'Better Stack index',
      path: (base) => `${base}/index.json`,
      match: (text, base) =>
        obj(obj(json(text))?.data)?.type === 'status_page'
          ? { kind: 'betterstack', url: base }
          : undefined,
    },
    {
      label: 'Cachet API',
      path: (base) => `${base}/api/v1/ping`,
      match: (text, base) =>
        obj(json(text))?.data === 'Pong!' ? { kind: 'cachet', url: base } : undefined,
    },
    {
      label: 'the page itself (RSS/Atom link)',
      path: (_base, page) => page.href,
      match: (text, base) => feedLinkIn(text, base, get),
    },
  ];
}

/** status.io embeds its API id; otherwise a `<link rel="alternate">` feed, if it answers. */
async function feedLinkIn(
  html: string,
  base: string,
  get: DetectGet,
): Promise<SourceConfig | undefined> {
  const statusio = /api\.status\.io\/1\.0\/status\/([0-9a-f]{24})/.exec(html)?.[1];
  if (statusio) return { kind: 'statusio', url: `https://api.status.io/1.0/status/${statusio}` };
  const href = alternateFeed(html);
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
  return { kind: 'feed', url };
}

function alternateFeed(html: string): string | undefined {
  let href: string | undefined;
  const parser = new Parser({
    onopentag(name, attrs) {
      if (href || name !== 'link') return;
      const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
      const type = (attrs.type ?? '').toLowerCase();
      if (rel.includes('alternate') && /application\/(rss|atom)\+xml/.test(type) && attrs.href)
        href = attrs.href;
    },
  });
  parser.write(html.slice(0, 512 * 1024));
  parser.end();
  return href;
}
