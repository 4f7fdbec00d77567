import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * A secret given as `Authorization: Bearer <token>` or, for callers that can only follow a URL,
 * `?token=`; `from` says which, for logs that must never show the secret itself.
 */
export function requestCredential(
  req: IncomingMessage,
  url: URL,
): { token: string; from: 'header' | 'query' } | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (bearer?.[1]) return { token: bearer[1], from: 'header' };
  const query = url.searchParams.get('token');
  return query ? { token: query, from: 'query' } : undefined;
}

/** Compares digests, so neither the contents nor the length of the secret leak through timing. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
