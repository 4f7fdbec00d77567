import type { FakeState } from './state.js';

/** The one guild the fake serves, as GUILD_CREATE describes it to discord.js. */

export interface FakeRole {
  id: string;
  name: string;
  /** "Allow anyone to @mention this role". */
  mentionable: boolean;
}

export function guildCreatePayload(guild: {
  guildId: string;
  botUser: Record<string, unknown>;
  roles: FakeRole[];
  state: FakeState;
}): Record<string, unknown> {
  const all = [...guild.state.channels.values()];
  return {
    id: guild.guildId,
    name: 'Ops',
    icon: null,
    owner_id: '300000000000000099',
    features: [],
    unavailable: false,
    member_count: 2,
    large: false,
    joined_at: '2024-01-01T00:00:00.000Z',
    preferred_locale: 'en-US',
    roles: [
      {
        id: guild.guildId,
        name: '@everyone',
        permissions: String((1n << 10n) | (1n << 11n)),
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
      ...guild.roles.map((role, i) => ({
        ...role,
        permissions: '0',
        position: i + 1,
        color: 0,
        hoist: false,
        managed: false,
        flags: 0,
      })),
    ],
    channels: all.filter((c) => !c.thread_metadata),
    threads: all.filter((c) => c.thread_metadata && !c.thread_metadata.archived),
    members: [
      {
        user: guild.botUser,
        roles: [],
        joined_at: '2024-01-01T00:00:00.000Z',
        deaf: false,
        mute: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
