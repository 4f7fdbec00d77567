import { z } from 'zod';
import { type Impact, type Incident, type IncidentUpdate, impactRank } from '../incidents/model.js';
import { parseJsonBody } from './json-body.js';
import type { BodyDecoder } from './safe-fetch.js';
import { type BuildContext, singleDocumentKind } from './single-document.js';
import { epochOrDateToIso, lookup, shortHash } from './values.js';

/**
 * AWS Health public current events (`health.aws.amazon.com/public/currentevents`): a JSON list
 * of events, sent as UTF-16 (big- or little-endian, usually with a BOM), `[]` when all is well.
 * Status codes (inferred, source-formats.md section 9): 0 resolved, 1 informational, 2 degraded,
 * 3 disruption. Region-wide events can stay open for months, hence the optional region filter.
 * Events leave the list some time after they resolve, so an absence alone is weak evidence.
 */

export const AWS_STATUS_PAGE = 'https://health.aws.amazon.com/health/status';

/** BOM first, then the declared charset, then the zero bytes of ASCII text in UTF-16. */
export const decodeAwsBody: BodyDecoder = (bytes, contentType) => {
  const [b0, b1] = [bytes[0], bytes[1]];
  if (b0 === 0xfe && b1 === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (b0 === 0xff && b1 === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  const utf16 = /charset\s*=\s*"?utf-16/i.test(contentType ?? '');
  if (utf16 || (bytes.length >= 2 && (b0 === 0 || b1 === 0))) {
    return new TextDecoder(b0 === 0 ? 'utf-16be' : 'utf-16le').decode(bytes);
  }
  return new TextDecoder().decode(bytes);
};

const code = z.union([z.string(), z.number()]).transform(String);

const event = z.looseObject({
  date: z.union([z.string(), z.number()]).nullish(),
  arn: z.string().nullish(),
  region_name: z.string().nullish(),
  status: code.nullish(),
  service: z.string().nullish(),
  service_name: z.string().nullish(),
  summary: z.string().nullish(),
  event_log: z
    .array(
      z.looseObject({
        summary: z.string().nullish(),
        message: z.string().nullish(),
        status: code.nullish(),
        timestamp: z.union([z.string(), z.number()]).nullish(),
      }),
    )
    .nullish(),
  impacted_services: z
    .record(z.string(), z.looseObject({ service_name: z.string().nullish() }))
    .nullish(),
  end_time: z.union([z.string(), z.number()]).nullish(),
});

type AwsEvent = z.infer<typeof event>;

/** The list; a single event object (as some captures show) is read as a list of one. */
const isEvent = (e: AwsEvent): boolean => Boolean(e.arn || e.service || e.summary);
/** The list; a single event object (as some captures show) is read as a list of one. Items that
 * name no event (no arn, service or summary) are not events: nothing is made of them. */
const eventList = z.union([
  z.array(event).transform((list) => list.filter(isEvent)),
  event.refine(isEvent, 'not an AWS Health event').transform((e) => [e]),
]);

const IMPACT: Record<string, Impact> = { '1': 'none', '2': 'minor', '3': 'critical' };

const regionOf = (raw: AwsEvent): string | undefined =>
  /^arn:aws:health:([a-z0-9-]+):/.exec(raw.arn ?? '')?.[1] ??
  /-([a-z]{2}(?:-gov)?-[a-z]+-\d)$/.exec(raw.service ?? '')?.[1];

const stripResolved = (text: string) => text.replace(/^\s*\[\s*resolved\s*\]\s*/i, '').trim();

function toIncident(raw: AwsEvent, ctx: BuildContext): Incident {
  const codes = [raw.status, ...(raw.event_log ?? []).map((l) => l.status)];
  const impact = codes
    .map((c) => lookup(IMPACT, c ?? undefined) ?? 'none')
    .reduce((peak, next) => (impactRank(next) > impactRank(peak) ? next : peak), 'none');
  const resolvedAt = epochOrDateToIso(raw.end_time ?? undefined);
  const resolved = raw.status === '0' || resolvedAt !== undefined;
  const updates: IncidentUpdate[] = (raw.event_log ?? [])
    .map((l) => {
      const at = epochOrDateToIso(l.timestamp ?? undefined) ?? ctx.fetchedAt;
      const body = (l.message ?? l.summary ?? '').trim();
      return { id: `${at}:${shortHash(body)}`, status: 'investigating' as const, body, at };
    })
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const last = updates.at(-1);
  if (resolved && last) updates[updates.length - 1] = { ...last, status: 'resolved' };
  const startedAt = epochOrDateToIso(raw.date ?? undefined) ?? updates[0]?.at ?? ctx.fetchedAt;
  const impacted = Object.values(raw.impacted_services ?? {}).map((s) => s.service_name ?? '');
  const components = [...new Set([raw.service_name ?? '', ...impacted].filter(Boolean))];
  const built: Incident = {
    // An empty arn is no id: `||`, not `??` (fuzzing found an event with `"arn": ""`).
    id: raw.arn || `${raw.service || 'aws'}:${startedAt}`,
    title: stripResolved(raw.summary ?? '') || raw.service_name || 'AWS event',
    status: resolved ? 'resolved' : 'investigating',
    impact,
    components,
    updates,
    startedAt,
    url: AWS_STATUS_PAGE,
    origin: 'status_page',
  };
  if (resolved) built.resolvedAt = resolvedAt ?? last?.at ?? ctx.fetchedAt;
  return built;
}

export const awsKind = singleDocumentKind({
  kind: 'aws',
  accept: 'application/json',
  documentUrl: (config) => new URL(config.url).toString(),
  decode: decodeAwsBody,
  parse: (body) => parseJsonBody(body, eventList, 'currentevents'),
  build: (events, ctx) => {
    const regions = (ctx.config.regions ?? []).map((r) => r.toLowerCase());
    const incidents = events
      .filter((raw) => regions.length === 0 || regions.includes(regionOf(raw) ?? ''))
      .map((raw) => toIncident(raw, ctx));
    return {
      serviceId: ctx.service.id,
      fetchedAt: ctx.fetchedAt,
      incidents,
      maintenances: [],
      components: [],
      resolutionsKnown: false,
      pageUrl: AWS_STATUS_PAGE,
    };
  },
});
