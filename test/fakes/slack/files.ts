/**
 * Slack's external upload flow, as the fake serves it: `files.getUploadURLExternal` hands out an
 * upload URL on the fake's own server and a file id; the client POSTs the bytes there (raw, or
 * multipart as @slack/web-api sends them); `files.completeUploadExternal` shares the files in a
 * channel as one message, with `initial_comment` as its text. Errors as Slack names them: an
 * unknown or not yet uploaded file is `file_not_found`, a channel the bot is not in is
 * `not_in_channel`. The bytes are kept so tests can read what was uploaded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiResult, BOT_ID, BOT_USER_ID, type Workspace } from './workspace.js';

export interface FakeFile {
  id: string;
  filename: string;
  /** The length announced to getUploadURLExternal; the upload must match it. */
  length: number;
  altText?: string;
  title?: string;
  bytes?: Buffer;
  /** Set once completeUploadExternal shared it (a file is shared once). */
  channel?: string;
}

/** Slack's limit on one file (1 GB). */
const MAX_FILE_BYTES = 1_000_000_000;

export class FakeFiles {
  readonly files = new Map<string, FakeFile>();
  private counter = 0;

  constructor(
    private readonly workspace: Workspace,
    private readonly baseUrl: () => string,
  ) {}

  /** The files.* Web API methods; undefined for any other method. */
  dispatch(method: string, args: Record<string, unknown>): ApiResult | undefined {
    if (method === 'files.getUploadURLExternal') return this.getUploadUrl(args);
    if (method === 'files.completeUploadExternal') return this.complete(args);
    return undefined;
  }

  getUploadUrl(args: Record<string, unknown>): ApiResult {
    const filename = typeof args.filename === 'string' ? args.filename : '';
    const length = Number(args.length);
    if (!filename || !Number.isInteger(length) || length < 1) {
      return { ok: false, error: 'invalid_arguments' };
    }
    if (length > MAX_FILE_BYTES) return { ok: false, error: 'file_too_large' };
    this.counter += 1;
    const id = `F0FAKE${String(this.counter).padStart(4, '0')}`;
    const file: FakeFile = { id, filename, length };
    if (typeof args.alt_text === 'string') file.altText = args.alt_text;
    this.files.set(id, file);
    return { ok: true, upload_url: `${this.baseUrl()}/upload/v1/${id}`, file_id: id };
  }

  /** Answers a POST to an upload URL; false when `path` is not one. */
  async serveUpload(
    path: string,
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
  ): Promise<boolean> {
    const id = /^\/upload\/v1\/([^/]+)$/.exec(path)?.[1];
    if (!id) return false;
    const out = await this.receive(id, req.headers['content-type'], body);
    res.writeHead(out.status, { 'content-type': 'text/plain' }).end(out.text);
    return true;
  }

  /** An upload's bytes: the HTTP status and body Slack's file server would answer. */
  async receive(
    id: string,
    contentType: string | undefined,
    body: Buffer,
  ): Promise<{ status: number; text: string }> {
    const file = this.files.get(id);
    if (!file || file.bytes) return { status: 404, text: 'not found' };
    const bytes = contentType?.startsWith('multipart/form-data')
      ? await firstFilePart(contentType, body)
      : body;
    if (!bytes || bytes.length !== file.length) {
      return { status: 400, text: `length mismatch: expected ${file.length}` };
    }
    file.bytes = bytes;
    return { status: 200, text: `OK - ${bytes.length}` };
  }

  complete(args: Record<string, unknown>): ApiResult {
    const wanted = Array.isArray(args.files)
      ? (args.files as { id?: unknown; title?: unknown }[])
      : [];
    if (wanted.length === 0) return { ok: false, error: 'invalid_arguments' };
    const files: FakeFile[] = [];
    for (const entry of wanted) {
      const file = typeof entry.id === 'string' ? this.files.get(entry.id) : undefined;
      if (!file?.bytes || file.channel) return { ok: false, error: 'file_not_found' };
      files.push(file);
    }
    const channelId = args.channel_id ?? args.channels;
    if (channelId !== undefined) {
      const channel = this.workspace.resolve(channelId, { write: true, idOnly: true });
      if (typeof channel === 'string') return { ok: false, error: channel };
      wanted.forEach((entry, i) => {
        const file = files[i] as FakeFile;
        if (typeof entry.title === 'string') file.title = entry.title;
        file.channel = channel.id;
      });
      channel.messages.push({
        ts: this.workspace.nextTs(),
        channel: channel.id,
        text: typeof args.initial_comment === 'string' ? args.initial_comment : '',
        user: BOT_USER_ID,
        bot_id: BOT_ID,
        files: files.map((f) => f.id),
      });
    }
    return {
      ok: true,
      files: files.map((f) => ({ id: f.id, title: f.title ?? f.filename, name: f.filename })),
    };
  }
}

async function firstFilePart(contentType: string, body: Buffer): Promise<Buffer | undefined> {
  const form = await new Response(new Uint8Array(body), {
    headers: { 'content-type': contentType },
  }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return undefined;
}
