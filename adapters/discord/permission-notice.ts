import { type REST, Routes } from 'discord.js';
import type { PermissionNotice } from '../../src/delivery/chat-adapter.js';
import { noMentions } from './mentions.js';

export const channelNoticeText = (permission: string): string =>
  `outage-bot cannot post incident updates in this channel: it is missing the **${permission}** ` +
  'permission here. The updates are kept and go out once it is granted.';

export const directNoticeText = (channelId: string, permission: string): string =>
  `outage-bot cannot post incident updates in <#${channelId}>, which you subscribed: it is ` +
  `missing the **${permission}** permission there. The updates are kept and go out once it is granted.`;

/**
 * Tells the channel, in plain text (it may lack only what embeds need), or the subscriber by
 * direct message when the channel refuses that too.
 */
export async function notifyMissingPermission(
  rest: Pick<REST, 'post'>,
  notice: PermissionNotice,
): Promise<'channel' | 'direct_message'> {
  const { channelId } = notice.channel;
  const send = (to: string, content: string) =>
    rest.post(Routes.channelMessages(to), {
      body: { content, allowed_mentions: noMentions() },
    });
  try {
    await send(channelId, channelNoticeText(notice.permission));
    return 'channel';
  } catch (err) {
    if (!notice.userId) throw err;
  }
  const dm = (await rest.post(Routes.userChannels(), {
    body: { recipient_id: notice.userId },
  })) as { id: string };
  await send(dm.id, directNoticeText(channelId, notice.permission));
  return 'direct_message';
}
