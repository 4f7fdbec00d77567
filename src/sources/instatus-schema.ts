import { z } from 'zod';
import { type ParseResult, parseJsonBody } from './json-body.js';

/**
 * Instatus public data: `/summary.json` (page status plus active incidents and maintenances; the
 * arrays are omitted when empty) and `/v2/components.json` (an object `{components}` on live
 * pages, a bare array with `isParent`/`children` in the docs). Lenient about values, strict about
 * shape, like the Statuspage schemas.
 */

const text = z.string().nullish();
const id = z.union([z.string().min(1), z.number()]).transform(String);

const itemSchema = z.object({
  id: id.nullish(),
  name: z.string(),
  status: text,
  impact: text,
  url: text,
  started: text,
  start: text,
  duration: z.union([z.string(), z.number()]).nullish(),
  updatedAt: text,
  resolved: text,
});

const summarySchema = z.object({
  page: z.object({ name: text, url: text, status: text }),
  activeIncidents: z.array(itemSchema).nullish(),
  activeMaintenances: z.array(itemSchema).nullish(),
});

interface RawComponent {
  id?: string | null;
  name: string;
  status?: string | null;
  group?: unknown;
  isParent?: boolean | null;
  children?: RawComponent[] | null;
}

const componentSchema: z.ZodType<RawComponent> = z.lazy(() =>
  z.object({
    id: id.nullish(),
    name: z.string(),
    status: text,
    group: z.unknown().optional(),
    isParent: z.boolean().nullish(),
    children: z.array(componentSchema).nullish(),
  }),
);

const componentsSchema = z.union([
  z.array(componentSchema),
  z.object({ components: z.array(componentSchema) }).transform((o) => o.components),
]);

export type InstatusSummary = z.infer<typeof summarySchema>;
export type InstatusItem = z.infer<typeof itemSchema>;
export type InstatusComponent = RawComponent;

export const parseInstatusSummary = (body: string): ParseResult<InstatusSummary> =>
  parseJsonBody(body, summarySchema, 'summary.json');

export const parseInstatusComponents = (body: string): ParseResult<InstatusComponent[]> =>
  parseJsonBody(body, componentsSchema, 'components.json');
