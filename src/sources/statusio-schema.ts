import { z } from 'zod';
import { type ParseResult, parseJsonBody } from './json-body.js';

/**
 * status.io public status API (`/1.0/status/{page id}`). The component tree and status codes are
 * documented; the incident and maintenance objects are not, so their schema takes the field
 * names of status.io's webhooks and public pages (`_id` or `id`, `name` or `title`, `messages`
 * with `details`, `state` and `datetime`) and every field is optional but the name.
 */

const text = z.string().nullish();
const id = z.union([z.string().min(1), z.number()]).transform(String);
const code = z.union([z.number(), z.string()]).nullish();

const containerSchema = z.object({ id: id.nullish(), name: z.string(), status_code: code });
const componentSchema = z.object({
  id: id.nullish(),
  name: z.string(),
  status_code: code,
  containers: z.array(containerSchema).nullish(),
});
const named = z.object({ _id: id.nullish(), id: id.nullish(), name: z.string() });
const messageSchema = z.object({
  _id: id.nullish(),
  details: text,
  state: code,
  status: code,
  datetime: text,
});
const eventSchema = z
  .object({
    _id: id.nullish(),
    id: id.nullish(),
    name: text,
    title: text,
    datetime_open: text,
    datetime_start: text,
    datetime_planned_start: text,
    datetime_planned_end: text,
    datetime_end: text,
    datetime_resolve: text,
    current_state: code,
    current_status: code,
    messages: z.array(messageSchema).nullish(),
    components_affected: z.array(named).nullish(),
    components: z.array(named).nullish(),
    url: text,
  })
  .refine((e) => (e._id ?? e.id) && (e.name ?? e.title), { message: 'event without id or name' });

const statusSchema = z.object({
  result: z.object({
    status_overall: z.object({ status_code: code }).nullish(),
    status: z.array(componentSchema),
    incidents: z.array(eventSchema).nullish(),
    maintenance: z
      .object({ active: z.array(eventSchema).nullish(), upcoming: z.array(eventSchema).nullish() })
      .nullish(),
  }),
});

export type StatusioStatus = z.infer<typeof statusSchema>;
export type StatusioEvent = z.infer<typeof eventSchema>;

export const parseStatusioStatus = (body: string): ParseResult<StatusioStatus> =>
  parseJsonBody(body, statusSchema, 'status.io status');
