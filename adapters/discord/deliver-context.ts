import { type APIEmbed, type REST, Routes } from 'discord.js';
import type { Logger } from 'pino';

/** What start, reply and root edits share: the deps, Discord's codes, and the channel cache. */

export interface ChannelInfo {
  type: number;
  guildId?: string;
}

export interface DelivererDeps {
  rest: Pick<REST, 'get' | 'post' | 'patch'>;
  logger: Logger;
  /** The bot's user id; forum retries look for the bot's own posts. */
  botUserId(): Promise<string | undefined>;
  /** Channel facts discord.js already has from the gateway, to save a GET. */
  cachedChannel?(id: string): ChannelInfo | undefined;
  archiveOnResolve: boolean;
}

export const THREADABLE = new Set([0, 5]); // text, announcement
export const FORUMS = new Set([15, 16]); // forum, media
export const ARCHIVE_AFTER_MINUTES = 10_080; // a week: long incidents keep their thread open

export const CODES = {
  unknownChannel: 10003,
  unknownMessage: 10008,
  archived: 50083,
  threadExists: 160004,
};

export interface MessageJson {
  id: string;
  thread?: { id: string };
  embeds?: APIEmbed[];
}

export interface DeliverContext {
  deps: DelivererDeps;
  rest: DelivererDeps['rest'];
  channelInfo(id: string): Promise<ChannelInfo>;
  post(channelId: string, body: Record<string, unknown>): Promise<MessageJson>;
}

export function createDeliverContext(deps: DelivererDeps): DeliverContext {
  const { rest } = deps;
  const channels = new Map<string, ChannelInfo>();

  async function channelInfo(id: string): Promise<ChannelInfo> {
    const known = channels.get(id) ?? deps.cachedChannel?.(id);
    if (known) return known;
    const raw = (await rest.get(Routes.channel(id))) as { type: number; guild_id?: string };
    const info = { type: raw.type, ...(raw.guild_id ? { guildId: raw.guild_id } : {}) };
    channels.set(id, info);
    return info;
  }

  const post = (channelId: string, body: Record<string, unknown>) =>
    rest.post(Routes.channelMessages(channelId), { body }) as Promise<MessageJson>;

  return { deps, rest, channelInfo, post };
}
