import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Reply } from '../../commands/command.js';
import { platformError } from './errors.js';
import { literal } from './escape.js';

/** What became of a Reply's picture: shared in the channel, or a reply saying why not. */
export type SharedPicture = { ok: true } | { ok: false; fallback: Reply };

/** The message text the picture is shared with: the reply's title and figures. */
export function pictureComment(reply: Reply): string {
  const title = reply.title ? `*${literal(reply.title, 200)}*\n` : '';
  return `${title}${literal(reply.text, 3_000)}`;
}

/**
 * Uploads a Reply's picture to the channel with Slack's external upload flow (filesUploadV2:
 * files.getUploadURLExternal, the upload, files.completeUploadExternal), the figures as the
 * message's text. Never throws: a channel the bot is not in, or a missing scope, becomes an
 * ephemeral reply with the figures and what to do.
 */
export async function sharePicture(
  client: webApi.WebClient,
  channelId: string,
  reply: Reply,
  logger: Logger,
): Promise<SharedPicture> {
  const image = reply.image;
  if (!image) return { ok: true };
  try {
    await client.filesUploadV2({
      channel_id: channelId,
      file: Buffer.from(image.png),
      filename: image.filename,
      title: reply.title ?? image.filename,
      alt_text: image.altText,
      initial_comment: pictureComment(reply),
    });
    return { ok: true };
  } catch (err) {
    const code = platformError(err);
    logger.warn(
      { err: code ?? (err instanceof Error ? err.message : String(err)), channel: channelId },
      'slack: could not share a picture',
    );
    return { ok: false, fallback: fallbackReply(reply, code) };
  }
}

function fallbackReply(reply: Reply, code: string | undefined): Reply {
  const why =
    code === 'not_in_channel' || code === 'channel_not_found'
      ? "I can't post the picture here because I'm not a member of this channel: invite me with /invite and ask again."
      : code === 'missing_scope'
        ? "I can't post pictures: this Slack app lacks the files:write scope. Ask the bot's operator to reinstall it from the current manifest."
        : `Slack did not take the picture (${code ?? 'no answer'}); try again in a minute.`;
  const { image: _image, ...text } = reply;
  return { ...text, visibility: 'ephemeral', text: `${why}\n${reply.text}` };
}
