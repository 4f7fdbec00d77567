/**
 * Files sent to the fake Discord: requests with files arrive as multipart/form-data (as
 * @discordjs/rest sends them), the JSON body in `payload_json` and each file as `files[n]`.
 * The body's `attachments` ([{ id: 'n', description }]) names them; the message gets one
 * attachment per file, and an embed's `attachment://<filename>` points at it, as on Discord.
 * Discord's limits: at most 10 files, 25 MiB each (400 50035 and 413 40005 past them).
 */
import type { RestResponse } from './rest.js';
import type { FakeMessage, FakeState } from './state.js';

export interface UploadedFile {
  /** The form field: `files[0]`, … */
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export const ATTACHMENT_LIMITS = { files: 10, bytes: 25 * 1024 * 1024 } as const;

/** A request body: JSON, multipart (payload_json plus files), or text. */
export async function parseBody(
  contentType: string | undefined,
  raw: Buffer,
): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType },
    }).formData();
    const files: UploadedFile[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
        continue;
      }
      files.push({
        field,
        filename: value.name,
        contentType: value.type,
        bytes: Buffer.from(await value.arrayBuffer()),
      });
    }
    return { body, files };
  }
  const text = raw.toString('utf8');
  if (!text) return { body: undefined, files: [] };
  try {
    return { body: JSON.parse(text), files: [] };
  } catch {
    return { body: text, files: [] };
  }
}

/** Discord's answer to files over its limits, or undefined when they fit. */
export function fileLimitError(files: readonly UploadedFile[]): RestResponse | undefined {
  if (files.some((f) => f.bytes.length > ATTACHMENT_LIMITS.bytes)) {
    return { status: 413, body: { message: 'Request entity too large', code: 40005 } };
  }
  if (files.length > ATTACHMENT_LIMITS.files) {
    return {
      status: 400,
      body: { message: 'Invalid Form Body', code: 50035, errors: ['files: at most 10'] },
    };
  }
  return undefined;
}

/**
 * Gives `message` the uploaded files as attachments (their bytes kept in `state.attachmentBytes`)
 * and resolves `attachment://` in its embeds. An edit keeps the `previous` message's
 * attachments that its body lists by id, or all of them when it lists none.
 */
export function attachFiles(
  state: FakeState,
  message: FakeMessage,
  sent: { body: Record<string, unknown>; files: readonly UploadedFile[]; previous?: FakeMessage },
  baseUrl: string,
): void {
  const { body, files, previous } = sent;
  const given = Array.isArray(body.attachments);
  const listed = given ? (body.attachments as { id?: unknown; description?: unknown }[]) : [];
  const kept = ((previous?.attachments ?? []) as { id: string }[]).filter(
    (a) => !given || listed.some((l) => String(l.id) === a.id),
  );
  const added = files.map((file, index) => {
    const ref = listed.find((l) => `files[${String(l.id)}]` === file.field) ?? listed[index];
    const id = state.ids.next();
    state.attachmentBytes.set(id, file.bytes);
    return {
      id,
      filename: file.filename,
      size: file.bytes.length,
      content_type: file.contentType,
      url: `${baseUrl}/attachments/${message.channel_id}/${id}/${file.filename}`,
      ...(typeof ref?.description === 'string' ? { description: ref.description } : {}),
    };
  });
  message.attachments = [...kept, ...added];
  const byName = new Map(message.attachments.map((a) => [(a as { filename: string }).filename, a]));
  message.embeds = message.embeds.map((embed) => {
    const image = embed.image as { url?: string } | undefined;
    const name = image?.url?.startsWith('attachment://') ? image.url.slice(13) : undefined;
    const found = name ? (byName.get(name) as { url: string } | undefined) : undefined;
    return found ? { ...embed, image: { ...image, url: found.url } } : embed;
  });
}
