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
