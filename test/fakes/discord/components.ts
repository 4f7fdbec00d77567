/**
 * Message components as Discord has them: validation of action rows and buttons on messages the
 * bot sends (answered 50035 like any invalid form), and the MESSAGE_COMPONENT interaction (type 3)
 * a press dispatches over the gateway, with the member's permissions. A link button sends no
 * interaction (the client opens the URL), so it cannot be pressed here.
 */
import type { FakeChannel, FakeMessage } from './state.js';

const BUTTON = 2;
const ACTION_ROW = 1;
const LINK_STYLE = 5;
const LIMITS = { rows: 5, perRow: 5, customId: 100, label: 80, url: 512 };

/** Problems with `components`, as Discord would report them; empty when it is acceptable. */
export function validateComponents(components: unknown): string[] {
  if (components === undefined || components === null) return [];
  if (!Array.isArray(components)) return ['components: not an array'];
  const errors: string[] = [];
  if (components.length > LIMITS.rows) errors.push(`components: more than ${LIMITS.rows} rows`);
  const ids = new Set<string>();
  for (const [i, row] of (components as { type?: unknown; components?: unknown }[]).entries()) {
    const buttons = row?.components;
    if (row?.type !== ACTION_ROW) {
      errors.push(`components[${i}]: not an action row`);
    } else if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > LIMITS.perRow) {
      errors.push(`components[${i}]: 1 to ${LIMITS.perRow} components`);
    } else {
      for (const [j, b] of (buttons as Record<string, unknown>[]).entries()) {
        errors.push(...buttonErrors(b, `components[${i}].components[${j}]`, ids));
      }
    }
  }
  return errors;
}

function buttonErrors(b: Record<string, unknown>, at: string, ids: Set<string>): string[] {
  if (b?.type !== BUTTON) return [`${at}: only buttons are modelled`];
  const errors: string[] = [];
  const style = b.style;
  if (typeof style !== 'number' || style < 1 || style > LINK_STYLE) errors.push(`${at}.style`);
  if (typeof b.label !== 'string' || b.label.length === 0 || b.label.length > LIMITS.label) {
    errors.push(`${at}.label`);
  }
  if (style === LINK_STYLE) {
    if (typeof b.url !== 'string' || b.url.length > LIMITS.url || !/^https?:\/\//.test(b.url)) {
      errors.push(`${at}.url`);
    }
    if (b.custom_id !== undefined) errors.push(`${at}: a link button has no custom_id`);
    return errors;
  }
  if (b.url !== undefined) errors.push(`${at}: only a link button has a url`);
  const id = b.custom_id;
  if (typeof id !== 'string' || id.length === 0 || id.length > LIMITS.customId) {
    return [...errors, `${at}.custom_id`];
  }
  if (ids.has(id)) errors.push(`${at}.custom_id: duplicate in the message`);
  ids.add(id);
  return errors;
}

/** The buttons of a message, flattened. */
export function buttonsOf(message: FakeMessage): Record<string, unknown>[] {
  return (message.components as { components?: Record<string, unknown>[] }[]).flatMap(
    (row) => row.components ?? [],
  );
}

export interface ComponentPress {
  message: FakeMessage;
  customId: string;
  channel: FakeChannel;
  user?: { id: string; username: string };
  /** The member's permissions in the channel, a bitfield string. */
  permissions: string;
}

/** The INTERACTION_CREATE payload of pressing `customId`; throws if the message shows no such button. */
export function buildComponentInteraction(
  ids: { id: string; token: string; appId: string; guildId: string },
  press: ComponentPress,
): Record<string, unknown> {
  const button = buttonsOf(press.message).find((b) => b.custom_id === press.customId);
  if (!button) {
    throw new Error(`fake discord: message ${press.message.id} has no button "${press.customId}"`);
  }
  const user = press.user ?? { id: '300000000000000001', username: 'alice' };
  const { channel } = press;
  return {
    id: ids.id,
    application_id: ids.appId,
    type: 3,
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
      permissions: press.permissions,
    },
    member: {
      user: { ...user, discriminator: '0', global_name: user.username, avatar: null },
      roles: [],
      joined_at: '2024-01-01T00:00:00.000Z',
      permissions: press.permissions,
      deaf: false,
      mute: false,
      flags: 0,
      nick: null,
      pending: false,
      premium_since: null,
    },
    message: press.message,
    data: { custom_id: press.customId, component_type: BUTTON },
    app_permissions: String((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 35n) | (1n << 38n)),
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': ids.guildId },
    context: 0,
    attachment_size_limit: 10_485_760,
  };
}
