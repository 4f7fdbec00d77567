import type { z } from 'zod';
import type { SourceFailure } from '../incidents/model.js';

/** A parsed body, or why it was refused (always `bad_body`). */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; failure: SourceFailure };

export const badBody = (message: string): { ok: false; failure: SourceFailure } => ({
  ok: false,
  failure: { kind: 'bad_body', message },
});

/**
 * JSON text -> a schema-checked value. An HTML page (a login wall, a CDN error) and truncated
 * JSON are refused with a message naming `what`; a schema mismatch names the first bad field.
 */
export function parseJsonBody<T>(body: string, schema: z.ZodType<T>, what: string): ParseResult<T> {
  const trimmed = body.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('<')) return badBody(`${what}: HTML instead of JSON`);
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (err) {
    return badBody(`${what}: invalid JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(root)';
    return badBody(`${what}: unexpected shape at ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return { ok: true, value: parsed.data };
}
