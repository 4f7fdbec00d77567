import { z } from 'zod';
import type { Impact, Incident, IncidentStatus, IncidentUpdate } from '../incidents/model.js';
import { parseJsonBody } from './json-body.js';
import { type BuildContext, singleDocumentKind } from './single-document.js';
import { shortHash, toIsoUtc } from './values.js';

/**
 * Google Cloud Service Health `incidents.json` (Google Workspace, Ads and Play use the same
 * schema). The list holds months of incidents: only open ones and those that ended within
 * RECENT_MS are kept, optionally only for the configured products and locations. An incident is
 * open while it has no `end`; the list states every resolution, so resolutions are known.
 */

const RECENT_MS = 7 * 24 * 60 * 60_000;

const named = z.looseObject({ title: z.string().nullish(), id: z.string().nullish() });

const update = z.looseObject({
  created: z.string().nullish(),
  modified: z.string().nullish(),
  when: z.string().nullish(),
  text: z.string().nullish(),
  status: z.string().nullish(),
  affected_locations: z.array(named).nullish(),
});

const incident = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  begin: z.string().nullish(),
  created: z.string().nullish(),
  end: z.string().nullish(),
  modified: z.string().nullish(),
  external_desc: z.string().nullish(),
  updates: z.array(update).nullish(),
  most_recent_update: update.nullish(),
  status_impact: z.string().nullish(),
  severity: z.string().nullish(),
  service_name: z.string().nullish(),
  affected_products: z.array(named).nullish(),
  uri: z.string().nullish(),
  currently_affected_locations: z.array(named).nullish(),
  previously_affected_locations: z.array(named).nullish(),
});

type GcpIncident = z.infer<typeof incident>;

/** SERVICE_DISRUPTION covers small and wide problems alike; Google's `high` severity lifts it. */
function impactOf(raw: GcpIncident): Impact {
  switch (raw.status_impact) {
    case 'SERVICE_OUTAGE':
      return 'critical';
    case 'SERVICE_DISRUPTION':
      return raw.severity === 'high' ? 'major' : 'minor';
    case 'SERVICE_INFORMATION':
      return 'none';
    default:
      return 'minor';
  }
}

const lower = (values: readonly (string | null | undefined)[]) =>
  values.filter((v): v is string => Boolean(v)).map((v) => v.toLowerCase());

function matches(raw: GcpIncident, config: BuildContext['config']): boolean {
  const { products, regions } = config;
  if (products?.length) {
    const own = lower((raw.affected_products ?? []).flatMap((p) => [p.id, p.title]));
    own.push(...lower([raw.service_name]));
    if (!lower(products).some((p) => own.includes(p))) return false;
  }
  if (regions?.length) {
    const places = [
      ...(raw.currently_affected_locations ?? []),
      ...(raw.previously_affected_locations ?? []),
      ...(raw.updates ?? []).flatMap((u) => u.affected_locations ?? []),
    ];
    const own = lower(places.flatMap((l) => [l.id, l.title]));
    if (!lower(regions).some((r) => own.includes(r))) return false;
  }
  return true;
}

function toIncident(raw: GcpIncident, ctx: BuildContext, baseUrl: string): Incident {
  const resolvedAt = toIsoUtc(raw.end);
  const open = resolvedAt === undefined;
  const latest = raw.most_recent_update?.status ?? raw.updates?.[0]?.status;
  const status: IncidentStatus = !open
    ? 'resolved'
    : latest === 'AVAILABLE'
      ? 'monitoring'
      : 'investigating';
  const updates: IncidentUpdate[] = (raw.updates ?? [])
    .map((u) => {
      const at = toIsoUtc(u.when) ?? toIsoUtc(u.created) ?? ctx.fetchedAt;
      const body = (u.text ?? '').trim();
      const own: IncidentStatus = u.status === 'AVAILABLE' ? 'monitoring' : 'investigating';
      return { id: `${at}:${shortHash(body)}`, status: own, body, at };
    })
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const last = updates.at(-1);
  if (!open && last) last.status = 'resolved';
  const startedAt = toIsoUtc(raw.begin) ?? toIsoUtc(raw.created) ?? updates[0]?.at ?? ctx.fetchedAt;
  const products = (raw.affected_products ?? [])
    .map((p) => p.title)
    .filter((t): t is string => Boolean(t));
  const built: Incident = {
    id: raw.id,
    title: raw.external_desc?.trim() || raw.service_name || 'Google Cloud incident',
    status,
    impact: impactOf(raw),
    components: [
      ...new Set(products.length > 0 ? products : raw.service_name ? [raw.service_name] : []),
    ],
    updates,
    startedAt,
    url: new URL((raw.uri ?? `incidents/${raw.id}`).replace(/^\/+/, ''), baseUrl).toString(),
    origin: 'status_page',
  };
  if (resolvedAt) built.resolvedAt = resolvedAt;
  return built;
}

/** `https://status.cloud.google.com/` -> its `incidents.json`; a `.json` URL is kept. */
export function gcpDocumentUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname.endsWith('.json')) return parsed.toString();
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/incidents.json`;
  return parsed.toString();
}

export const gcpKind = singleDocumentKind({
  kind: 'gcp',
  accept: 'application/json',
  documentUrl: (config) => gcpDocumentUrl(config.url),
  parse: (body) => parseJsonBody(body, z.array(incident), 'incidents.json'),
  build: (list, ctx) => {
    const baseUrl = new URL('.', ctx.url).toString();
    const since = Date.parse(ctx.fetchedAt) - RECENT_MS;
    const incidents = list
      .filter(
        (raw) => !raw.end || Date.parse(raw.end) >= since || Number.isNaN(Date.parse(raw.end)),
      )
      .filter((raw) => matches(raw, ctx.config))
      .map((raw) => toIncident(raw, ctx, baseUrl));
    return {
      serviceId: ctx.service.id,
      fetchedAt: ctx.fetchedAt,
      incidents,
      maintenances: [],
      components: [],
      resolutionsKnown: true,
      pageUrl: baseUrl.replace(/\/+$/, ''),
    };
  },
});
