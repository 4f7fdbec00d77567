import type { IncomingMessage } from 'node:http';

/** Fields web-api sends form-encoded as JSON strings. */
const JSON_FIELDS = ['blocks', 'attachments', 'metadata', 'files'];

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A Web API call's arguments: a JSON body, or a form whose JSON fields are parsed. */
export function parseArgs(contentType: string | undefined, raw: string): Record<string, unknown> {
  if (contentType?.startsWith('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.includes(key)) {
      try {
        args[key] = JSON.parse(value);
      } catch {
        args[key] = value;
      }
    } else {
      args[key] = value;
    }
  }
  return args;
}

/** The token of an `Authorization: Bearer` header. */
export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  return match?.[1];
}
