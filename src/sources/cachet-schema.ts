import { z } from 'zod';
import { type ParseResult, parseJsonBody } from './json-body.js';

/**
 * Cachet 2.x API v1 lists (`{meta: {pagination}, data: [...]}`): components, incidents and, from
 * 2.4, schedules. Statuses are integers (sometimes sent as strings, like `per_page`).
 */

const text = z.string().nullish();
const id = z.union([z.number(), z.string().min(1)]).transform(String);
const int = z.union([z.number(), z.string()]).nullish();

const componentSchema = z.object({
  id,
  name: z.string(),
  status: int,
  enabled: z.union([z.boolean(), z.number()]).nullish(),
});
const incidentSchema = z.object({
  id,
  name: z.string(),
  status: int,
  visible: z.union([z.boolean(), z.number()]).nullish(),
  message: text,
  component_id: int,
  scheduled_at: text,
  occurred_at: text,
  created_at: text,
  updated_at: text,
});
const scheduleSchema = z.object({
  id,
  name: z.string(),
  message: text,
  status: int,
  scheduled_at: text,
  completed_at: text,
});

const list = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

export type CachetComponent = z.infer<typeof componentSchema>;
export type CachetIncident = z.infer<typeof incidentSchema>;
export type CachetSchedule = z.infer<typeof scheduleSchema>;

const parseList =
  <T extends z.ZodType>(item: T, what: string) =>
  (body: string): ParseResult<z.infer<T>[]> => {
    const parsed = parseJsonBody(body, list(item), what);
    return parsed.ok ? { ok: true, value: parsed.value.data as z.infer<T>[] } : parsed;
  };

export const parseCachetComponents = parseList(componentSchema, 'components');
export const parseCachetIncidents = parseList(incidentSchema, 'incidents');
export const parseCachetSchedules = parseList(scheduleSchema, 'schedules');
