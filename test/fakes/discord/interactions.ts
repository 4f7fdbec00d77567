/**
 * Builds INTERACTION_CREATE payloads the way Discord sends them to a bot over the gateway:
 * chat-input commands (type 2) with a subcommand and typed options, and autocomplete (type 4)
 * with one focused option. Includes every field discord.js 14 dereferences unconditionally
 * (entitlements, authorizing_integration_owners, member.permissions, a channel partial).
 */
import type { FakeChannel, RegisteredCommand } from './state.js';

export interface InteractionInput {
  subcommand: string;
  /** Option values by name (as the user typed or picked them). */
  options?: Record<string, string | number | boolean>;
  /** Autocomplete: the option the user is typing in. Makes it a type 4 interaction. */
  focused?: string;
  channel: FakeChannel;
  user?: { id: string; username: string };
  /** The member's permissions in the channel, a bitfield string ('16' = Manage Channels). */
  permissions?: string;
}

export const PERMISSIONS = {
  none: '0',
  /** View Channel + Send Messages: an ordinary member. */
  member: String((1n << 10n) | (1n << 11n)),
  manageChannels: String((1n << 4n) | (1n << 10n) | (1n << 11n)),
  /** Manage Channels and Mention Everyone (@everyone, @here and all roles). */
  manageAndMentionEveryone: String((1n << 4n) | (1n << 10n) | (1n << 11n) | (1n << 17n)),
  administrator: String(1n << 3n),
} as const;

const OPTION_TYPE = { string: 3, integer: 4, boolean: 5, number: 10 } as const;

function optionType(command: RegisteredCommand, sub: string, name: string): number {
  const subs =
    (command.options as { name: string; options?: { name: string; type: number }[] }[]) ?? [];
  const def = subs.find((s) => s.name === sub)?.options?.find((o) => o.name === name);
  if (def) return def.type;
  throw new Error(`fake discord: /${command.name} ${sub} has no option "${name}" registered`);
}

export function buildInteraction(
  ids: { id: string; token: string; appId: string; guildId: string },
  command: RegisteredCommand,
  input: InteractionInput,
): Record<string, unknown> {
  const subs = (command.options as { name: string }[] | undefined) ?? [];
  if (!subs.some((s) => s.name === input.subcommand)) {
    throw new Error(`fake discord: /${command.name} has no subcommand "${input.subcommand}"`);
  }
  const user = input.user ?? { id: '300000000000000001', username: 'alice' };
  const options = Object.entries(input.options ?? {}).map(([name, value]) => ({
    type: optionType(command, input.subcommand, name),
    name,
    value,
    ...(input.focused === name ? { focused: true } : {}),
  }));
  if (input.focused && !options.some((o) => o.name === input.focused)) {
    options.push({ type: OPTION_TYPE.string, name: input.focused, value: '', focused: true });
  }
  const { channel } = input;
  return {
    id: ids.id,
    application_id: ids.appId,
    type: input.focused ? 4 : 2,
    token: ids.token,
    version: 1,
    guild_id: ids.guildId,
    channel_id: channel.id,
    channel: {
      id: channel.id,
      type: channel.type,
      guild_id: ids.guildId,
      name: channel.name,
      parent_id: channel.parent_id,
      permissions: input.permissions ?? PERMISSIONS.member,
    },
    member: {
      user: { ...user, discriminator: '0', global_name: user.username, avatar: null },
      roles: [],
      joined_at: '2024-01-01T00:00:00.000Z',
      permissions: input.permissions ?? PERMISSIONS.member,
      deaf: false,
      mute: false,
      flags: 0,
      nick: null,
      pending: false,
      premium_since: null,
    },
    data: {
      id: command.id,
      name: command.name,
      type: 1,
      ...(command.guild_id ? { guild_id: command.guild_id } : {}),
      options: [{ type: 1, name: input.subcommand, options }],
    },
    app_permissions: String((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 35n) | (1n << 38n)),
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': ids.guildId },
    context: 0,
    attachment_size_limit: 10_485_760,
  };
}
