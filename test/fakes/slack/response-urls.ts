/**
 * The fake Slack's `response_url`s: handed out for slash-command and interaction payloads, each
 * good for 5 uses within 30 minutes as Slack's are; every post is kept in `posts`.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
}

const RESPONSE_URL_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60_000;

export class FakeResponseUrls {
  readonly posts: ResponseUrlPost[] = [];
  private readonly urls = new Map<string, { uses: number; expires: number }>();

  /** A fresh response_url under `base` (the server's origin and the team's path). */
  issue(base: string): string {
    const id = randomUUID();
    this.urls.set(id, { uses: 0, expires: Date.now() + RESPONSE_URL_TTL_MS });
    return `${base}/${id}`;
  }

  /** Answers a post to the response_url `id` as Slack does. */
  serve(id: string, raw: string, res: ServerResponse): void {
    const entry = this.urls.get(id);
    if (!entry || entry.uses >= RESPONSE_URL_USES || Date.now() > entry.expires) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('expired_url');
      return;
    }
    entry.uses += 1;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
      return;
    }
    this.posts.push({ id, body });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }
}
