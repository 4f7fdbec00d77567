import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { FEED_CONVENTIONS, type Service } from '../incidents/model.js';
import { isSourceKind, sourceKindNames } from './registry.js';

/**
 * SERVICES_FILE: the operator's own services, YAML or JSON (the yaml package reads both):
 *
 *   - id: intranet
 *     name: Intranet
 *     aliases: [wiki]
 *     sources:
 *       - { kind: statuspage, url: https://status.intranet.example }
 *       - { kind: feed, url: https://azure.status.microsoft/en-us/status/feed/, convention: azure }
 *       - { kind: aws, url: https://health.aws.amazon.com/public/currentevents, regions: [us-east-1] }
 *
 * A top-level `services:` key around the list is accepted too. Operator entries are trusted
 * (private addresses allowed) and replace built-in services with the same id.
 */

export class ServicesFileError extends Error {
  override readonly name = 'ServicesFileError';
}

export type ReadTextFile = (path: string, encoding: 'utf8') => Promise<string>;

const isHttpUrl = (value: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

const sourceSchema = z.strictObject({
  kind: z.string().refine(isSourceKind, {
    error: (issue) =>
      `unknown source kind ${JSON.stringify(issue.input)} (known: ${sourceKindNames().join(', ')})`,
  }),
  url: z.string().refine(isHttpUrl, 'must be an http(s) URL, like https://status.example.com'),
  convention: z.enum(FEED_CONVENTIONS).optional(),
  regions: z.array(z.string().trim().min(1, 'must not be empty')).optional(),
  products: z.array(z.string().trim().min(1, 'must not be empty')).optional(),
  /** Probes: text the answer must contain to count as up. */
  expect: z.string().min(1, 'must not be empty').optional(),
});

const serviceSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be a lowercase slug (a-z, 0-9, -, _), like my-api'),
  name: z.string().trim().min(1, 'must not be empty'),
  aliases: z.array(z.string().trim().min(1, 'must not be empty')).default([]),
  sources: z.array(sourceSchema).min(1, 'needs at least one source'),
});

const fieldPath = (path: PropertyKey[]) =>
  path.reduce<string>(
    (out, part) =>
      typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part),
    '',
  );

function entriesOf(doc: unknown, file: string): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (doc && typeof doc === 'object' && Array.isArray((doc as { services?: unknown }).services)) {
    return (doc as { services: unknown[] }).services;
  }
  throw new ServicesFileError(
    `SERVICES_FILE ${file}: expected a list of services (or a "services:" list), ` +
      'e.g. [{ id: intranet, name: Intranet, sources: [{ kind: statuspage, url: https://status.intranet.example }] }]',
  );
}

/** Parses and validates file text; every problem is reported, each naming entry and field. */
export function parseServicesFile(text: string, file: string): Service[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ServicesFileError(
      `SERVICES_FILE ${file}: not valid YAML or JSON: ${(err as Error).message}`,
    );
  }
  const problems: string[] = [];
  const services: Service[] = [];
  const seen = new Map<string, number>();
  entriesOf(doc, file).forEach((entry, index) => {
    const parsed = serviceSchema.safeParse(entry);
    const rawId = (entry as { id?: unknown } | null)?.id;
    const label = `entry ${index}${typeof rawId === 'string' ? ` (id "${rawId}")` : ''}`;
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.length ? fieldPath(issue.path) : '(entry)';
        problems.push(`${label}, field ${field}: ${issue.message}`);
      }
      return;
    }
    const first = seen.get(parsed.data.id);
    if (first !== undefined) {
      problems.push(`${label}, field id: duplicate of entry ${first}`);
      return;
    }
    seen.set(parsed.data.id, index);
    services.push({ ...parsed.data, trusted: true });
  });
  if (problems.length > 0) {
    throw new ServicesFileError(`SERVICES_FILE ${file}: ${problems.join('; ')}`);
  }
  return services;
}

export async function loadServicesFile(path: string, readFile: ReadTextFile): Promise<Service[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ServicesFileError(`SERVICES_FILE ${path}: cannot read: ${(err as Error).message}`);
  }
  return parseServicesFile(text, path);
}
