import { z } from 'zod';
import { type ParseResult, parseJsonBody } from './json-body.js';

/**
 * Better Stack status pages: `/index.json`, a JSON:API document whose `included` list mixes
 * sections, resources (components), status reports (incidents and maintenances) and their
 * updates. Hosted pages answer 200 for any path, so `data.type` must say `status_page`.
 */

const text = z.string().nullish();
const id = z.union([z.string().min(1), z.number()]).transform(String);
const affectedSchema = z
  .array(z.object({ status_page_resource_id: id.nullish(), status: text }))
  .nullish();

const included = z.object({
  type: z.string(),
  id,
  attributes: z.record(z.string(), z.unknown()).nullish(),
  relationships: z
    .object({
      status_updates: z.object({ data: z.array(z.object({ id })).nullish() }).nullish(),
    })
    .nullish(),
});

const indexSchema = z.object({
  data: z.object({
    id,
    type: z.literal('status_page'),
    attributes: z.object({ company_url: text, custom_domain: text }).nullish(),
  }),
  included: z.array(included).nullish(),
});

export const sectionAttributes = z.object({ name: text });
export const resourceAttributes = z.object({
  public_name: z.string(),
  status: text,
  status_page_section_id: id.nullish(),
});
export const reportAttributes = z.object({
  title: z.string(),
  report_type: text,
  starts_at: text,
  ends_at: text,
  aggregate_state: text,
  affected_resources: affectedSchema,
});
export const updateAttributes = z.object({
  message: text,
  published_at: text,
  affected_resources: affectedSchema,
});

export type BetterstackIndex = z.infer<typeof indexSchema>;
export type BetterstackIncluded = z.infer<typeof included>;

export const parseBetterstackIndex = (body: string): ParseResult<BetterstackIndex> =>
  parseJsonBody(body, indexSchema, 'index.json');
