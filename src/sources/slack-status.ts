import { z } from 'zod';
import type {
  Impact,
  Incident,
  IncidentUpdate,
  Maintenance,
  MaintenanceStatus,
  Snapshot,
} from '../incidents/model.js';
import { parseJsonBody } from './json-body.js';
import { toPlainText } from './plain-text.js';
import { type BuildContext, singleDocumentKind } from './single-document.js';
import { lookup, shortHash, toIsoUtc } from './values.js';

/**
 * Slack's status API, `/api/v2.0.0/current`: only what is active now, so an incident that
 * leaves is resolved as the reconciler's absence rules allow (`resolutionsKnown` false).
 * `type` (notice < incident < outage) gives the impact; `scheduled` / `completed` / `cancelled`
 * entries are maintenance. Notes are HTML, newest first.
 */

const CURRENT_PATH = '/api/v2.0.0/current';

const entry = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  date_created: z.string().nullish(),
  date_updated: z.string().nullish(),
  title: z.string().nullish(),
  type: z.string().nullish(),
  status: z.string().nullish(),
  url: z.string().nullish(),
  services: z.array(z.string()).nullish(),
  notes: z
    .array(z.looseObject({ date_created: z.string().nullish(), body: z.string().nullish() }))
    .nullish(),
});

const current = z.looseObject({
  status: z.string(),
  active_incidents: z.array(entry).nullish(),
});

type SlackEntry = z.infer<typeof entry>;

const IMPACT: Record<string, Impact> = { notice: 'minor', incident: 'major', outage: 'critical' };
const MAINTENANCE: Record<string, MaintenanceStatus> = {
  scheduled: 'scheduled',
  completed: 'completed',
  cancelled: 'completed',
};

const safeUrl = (url: string | null | undefined): string | undefined => {
  try {
    const parsed = new URL(url ?? '');
    return parsed.protocol === 'https:' || parsed.protocol === 'http:'
      ? parsed.toString()
      : undefined;
  } catch {
    return undefined;
  }
};

function notes<S extends IncidentUpdate['status']>(raw: SlackEntry, status: S, fallbackAt: string) {
  return [...(raw.notes ?? [])]
    .reverse()
    .map((n) => {
      const at = toIsoUtc(n.date_created) ?? fallbackAt;
      const body = toPlainText(n.body ?? '');
      return { id: `${at}:${shortHash(body)}`, status, body, at };
    })
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function toIncident(raw: SlackEntry, ctx: BuildContext): Incident {
  const startedAt = toIsoUtc(raw.date_created) ?? ctx.fetchedAt;
  const resolved = raw.status === 'resolved';
  const updates: IncidentUpdate[] = notes(raw, 'investigating', startedAt);
  const last = updates.at(-1);
  if (resolved && last) updates[updates.length - 1] = { ...last, status: 'resolved' };
  const built: Incident = {
    id: raw.id,
    title: raw.title?.trim() || 'Slack incident',
    status: resolved ? 'resolved' : 'investigating',
    impact: lookup(IMPACT, raw.type) ?? 'minor',
    components: [...new Set(raw.services ?? [])],
    updates,
    startedAt,
    origin: 'status_page',
  };
  const url = safeUrl(raw.url);
  if (url) built.url = url;
  if (resolved) built.resolvedAt = toIsoUtc(raw.date_updated) ?? last?.at ?? ctx.fetchedAt;
  return built;
}

function toMaintenance(raw: SlackEntry, status: MaintenanceStatus, ctx: BuildContext): Maintenance {
  const scheduledFor = toIsoUtc(raw.date_created) ?? ctx.fetchedAt;
  const built: Maintenance = {
    id: raw.id,
    title: raw.title?.trim() || 'Slack maintenance',
    status,
    impact: 'none',
    components: [...new Set(raw.services ?? [])],
    updates: notes(raw, status, scheduledFor),
    scheduledFor,
  };
  const url = safeUrl(raw.url);
  if (url) built.url = url;
  return built;
}

/** Any Slack status URL (`https://slack-status.com/`, `.../api/v2.0.0/current`) -> `current`. */
export const slackCurrentUrl = (url: string): string => new URL(CURRENT_PATH, url).toString();

export const slackKind = singleDocumentKind({
  kind: 'slack',
  accept: 'application/json',
  documentUrl: (config) => slackCurrentUrl(config.url),
  parse: (body) => parseJsonBody(body, current, 'current'),
  build: (doc, ctx): Snapshot => {
    const incidents: Incident[] = [];
    const maintenances: Maintenance[] = [];
    for (const raw of doc.active_incidents ?? []) {
      const maintenance = lookup(MAINTENANCE, raw.status);
      if (maintenance) maintenances.push(toMaintenance(raw, maintenance, ctx));
      else incidents.push(toIncident(raw, ctx));
    }
    return {
      serviceId: ctx.service.id,
      fetchedAt: ctx.fetchedAt,
      incidents,
      maintenances,
      components: [],
      resolutionsKnown: false,
      pageUrl: new URL('/', ctx.url).toString().replace(/\/+$/, ''),
    };
  },
});
