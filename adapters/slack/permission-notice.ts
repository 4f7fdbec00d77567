import type { webApi } from '@slack/bolt';
import type { PermissionNotice } from '../../src/delivery/chat-adapter.js';

/** The notice in the channel itself. */
export const channelNoticeText = (permission: string): string =>
  `outage-bot cannot post incident updates in this channel: it lacks ${permission}. ` +
  'The updates are kept and go out once that is fixed.';

/** The notice to whoever subscribed, when the channel cannot be written at all. */
export const directNoticeText = (channelId: string, permission: string): string =>
  `outage-bot cannot post incident updates in <#${channelId}>, which you subscribed: it lacks ` +
  `${permission}. The updates are kept and go out once that is fixed.`;

/**
 * Tells the channel what the bot lacks, or its subscriber by direct message (chat.postMessage to
 * a user id posts in the app's DM with them) when the channel refuses that too.
 */
export async function notifyMissingPermission(
  poster: webApi.WebClient,
  notice: PermissionNotice,
): Promise<'channel' | 'direct_message'> {
  const { channelId } = notice.channel;
  try {
    await poster.chat.postMessage({
      channel: channelId,
      text: channelNoticeText(notice.permission),
    });
    return 'channel';
  } catch (err) {
    if (!notice.userId) throw err;
  }
  await poster.chat.postMessage({
    channel: notice.userId,
    text: directNoticeText(channelId, notice.permission),
  });
  return 'direct_message';
}
