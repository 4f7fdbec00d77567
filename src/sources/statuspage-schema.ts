import { z } from 'zod';
import { type ParseResult, parseJsonBody } from './json-body.js';

/**
 * Statuspage v2 JSON schemas (summary.json, incidents.json). Strict about shape (an object where
 * an object belongs), lenient about values (statuses stay strings; statuspage-format.ts maps
 * unknown ones to safe defaults), so a vendor adding an enum value does not blind the bot while
 * HTML, truncated JSON or a different API is refused as `bad_body`. incident.io's compatible API
 * sends `null` or omits arrays and component groups, hence the `nullish()` everywhere.
 */

const text = z.string().nullish();
const id = z.union([z.string().min(1), z.number()]).transform(String);

const componentSchema = z.object({
  id: id.nullish(),
  name: z.string(),
  status: text,
  group_id: text,
  group: z.boolean().nullish(),
  components: z.array(z.string()).nullish(),
});

const updateSchema = z.object({
  id: id.nullish(),
  status: text,
  body: text,
  created_at: text,
  updated_at: text,
  display_at: text,
  affected_components: z.array(z.object({ name: text, new_status: text })).nullish(),
});

const incidentSchema = z.object({
  id,
  name: z.string(),
  status: text,
  impact: text,
  created_at: text,
  updated_at: text,
  started_at: text,
  resolved_at: text,
  scheduled_for: text,
  scheduled_until: text,
  incident_updates: z.array(updateSchema).nullish(),
  components: z.array(componentSchema).nullish(),
});

const pageSchema = z.object({ id: text, name: text, url: text }).nullish();

const summarySchema = z
  .object({
    page: pageSchema,
    status: z.object({ indicator: text, description: text }).nullish(),
    components: z.array(componentSchema).nullish(),
    incidents: z.array(incidentSchema).nullish(),
    scheduled_maintenances: z.array(incidentSchema).nullish(),
  })
  .refine((s) => s.page || s.status || s.components || s.incidents, {
    message: 'no page, status, components or incidents: not a Statuspage summary',
  });

/** incidents.json must name its list (null is incident.io's empty list); absent is a bad body. */
const incidentsListSchema = z.object({
  page: pageSchema,
  incidents: z.array(incidentSchema).nullable(),
});

export type StatuspageSummary = z.infer<typeof summarySchema>;
export type StatuspageIncident = z.infer<typeof incidentSchema>;
export type { ParseResult } from './json-body.js';

export const parseSummary = (body: string): ParseResult<StatuspageSummary> =>
  parseJsonBody(body, summarySchema, 'summary.json');

export function parseIncidentsList(body: string): ParseResult<StatuspageIncident[]> {
  const parsed = parseJsonBody(body, incidentsListSchema, 'incidents.json');
  return parsed.ok ? { ok: true, value: parsed.value.incidents ?? [] } : parsed;
}
