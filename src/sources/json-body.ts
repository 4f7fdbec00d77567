import type { z } from 'zod';
import type { SourceFailure } from '../incidents/model.js';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; failure: SourceFailure };

/**
 * A response body -> a schema-checked value, or a `bad_body` failure that says what was wrong
 * (HTML where JSON belongs, truncated JSON, the wrong shape and where). Never throws.
 */
export function parseJsonBody<T>(body: string, schema: z.ZodType<T>, what: string): ParseResult<T> {
  const trimmed = body.trimStart();
  if (trimmed.startsWith('<')) {
    return { ok: false, failure: { kind: 'bad_body', message: `${what}: HTML instead of JSON` } };
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (err) {
    const message = `${what}: invalid JSON (${(err as Error).message})`;
    return { ok: false, failure: { kind: 'bad_body', message } };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(root)';
    const message = `${what}: unexpected shape at ${where}: ${issue?.message ?? 'invalid'}`;
    return { ok: false, failure: { kind: 'bad_body', message } };
  }
  return { ok: true, value: parsed.data };
}
