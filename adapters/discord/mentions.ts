import { type Interaction, PermissionFlagsBits } from 'discord.js';
import type { MentionCheck } from '../../commands/command.js';
import type { MentionKind } from '../../src/incidents/subscription.js';

/**
 * The only place a ping is built. Every message the bot sends carries an explicit
 * `allowed_mentions`: `{parse: []}` (nobody), plus exactly the role or user a subscription asked
 * for, or `everyone` parsing when it asked for @here / @channel. The ping text lives in `content`;
 * untrusted text only ever goes into embeds, which Discord never pings from.
 */

/** The wire shape of `allowed_mentions`. */
export interface AllowedMentions {
  parse: ('everyone' | 'roles' | 'users')[];
  roles?: string[];
  users?: string[];
}

/** Nobody: for every message that asked for no ping (a fresh object each time). */
export const noMentions = (): AllowedMentions => ({ parse: [] });

export interface MentionPayload {
  content?: string;
  allowed_mentions: AllowedMentions;
}

const SNOWFLAKE = /^\d{15,22}$/;

/**
 * Slack's @channel has no Discord twin except @everyone (everyone who can see the channel), so
 * 'channel' maps to it; 'here' maps to @here (only members online).
 */
export function mentionPayload(kind: MentionKind): MentionPayload {
  if (kind === 'here') return { content: '@here', allowed_mentions: { parse: ['everyone'] } };
  if (kind === 'channel')
    return { content: '@everyone', allowed_mentions: { parse: ['everyone'] } };
  if (typeof kind === 'object' && 'role' in kind && SNOWFLAKE.test(kind.role)) {
    return { content: `<@&${kind.role}>`, allowed_mentions: { parse: [], roles: [kind.role] } };
  }
  if (typeof kind === 'object' && 'user' in kind && SNOWFLAKE.test(kind.user)) {
    return { content: `<@${kind.user}>`, allowed_mentions: { parse: [], users: [kind.user] } };
  }
  return { allowed_mentions: { parse: [] } };
}

const NEEDS_MENTION_EVERYONE = (what: string): MentionCheck => ({
  ok: false,
  reason: `pinging ${what} needs the Mention Everyone permission in this channel, which you don't have`,
});

/**
 * What this member may have the bot ping, by their own rights: @here and @everyone (Slack's
 * @channel) need Mention Everyone; a role needs Mention Everyone or the role set to mentionable.
 * The bot holds Mention Everyone itself, so without this check a channel manager could borrow it.
 * Roles come from the guild cache, which the Guilds intent keeps complete.
 */
export function checkDiscordMention(
  interaction: Interaction,
): (mention: MentionKind) => Promise<MentionCheck> {
  const mayMentionEveryone =
    interaction.memberPermissions?.has(PermissionFlagsBits.MentionEveryone) ?? false;
  return async (mention) => {
    if (mention === 'none' || (typeof mention === 'object' && 'user' in mention)) {
      return { ok: true };
    }
    if (mention === 'here')
      return mayMentionEveryone ? { ok: true } : NEEDS_MENTION_EVERYONE('@here');
    if (mention === 'channel') {
      return mayMentionEveryone ? { ok: true } : NEEDS_MENTION_EVERYONE('@everyone');
    }
    const role = SNOWFLAKE.test(mention.role)
      ? interaction.guild?.roles.cache.get(mention.role)
      : undefined;
    if (!role) return { ok: false, reason: "that role is not one of this server's roles" };
    // <@&guild id> is the @everyone role.
    if (role.id === interaction.guildId) {
      return mayMentionEveryone ? { ok: true } : NEEDS_MENTION_EVERYONE('@everyone');
    }
    if (mayMentionEveryone || role.mentionable) return { ok: true };
    return {
      ok: false,
      reason: `pinging the role ${role.name} needs the Mention Everyone permission, or the role set to "Allow anyone to @mention this role"; you have neither`,
    };
  };
}
