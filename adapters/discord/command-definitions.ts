import { type REST, Routes } from 'discord.js';
import type { Logger } from 'pino';
import type { CommandDefinition, OptionSpec } from '../../commands/command.js';
import { cut } from './text.js';

/**
 * `/outage` for Discord, built from the platform-neutral command table: one subcommand per
 * command, string options in the table's order (required first, as Discord demands), choices for
 * enumerations and autocomplete for service names.
 *
 * Permissions: Discord sets default_member_permissions per command, not per subcommand, so the
 * top-level command stays open to everyone (status, list, services and help are for all) and the
 * managing subcommands (subscribe, unsubscribe, mute, unmute) are checked at run time against the
 * member's Manage Channels permission in that channel. Server admins can still narrow who sees
 * `/outage` at all in Server Settings → Integrations.
 */

export const COMMAND_NAME = 'outage';
const OPTION_STRING = 3;
const SUB_COMMAND = 1;
const CHAT_INPUT = 1;
/** Guild channels only: subscriptions belong to server channels, not DMs. */
const CONTEXT_GUILD = 0;
const INSTALL_GUILD = 0;

export interface OptionJson {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  autocomplete?: boolean;
  choices?: { name: string; value: string }[];
  options?: OptionJson[];
}

export interface CommandJson {
  type: number;
  name: string;
  description: string;
  default_member_permissions: string | null;
  contexts: number[];
  integration_types: number[];
  options: OptionJson[];
}

const describe = (text: string) => cut(text.replace(/\s+/g, ' ').trim(), 100) || '-';

function optionJson(spec: OptionSpec): OptionJson {
  const choices = spec.choices?.slice(0, 25).map((c) => ({ name: c, value: c }));
  return {
    type: OPTION_STRING,
    name: spec.name,
    description: describe(spec.description),
    required: spec.required,
    // Discord refuses choices and autocomplete together; fixed choices win.
    ...(choices?.length ? { choices } : spec.autocomplete ? { autocomplete: true } : {}),
  };
}

export function buildCommandJson(commands: readonly CommandDefinition[]): CommandJson {
  return {
    type: CHAT_INPUT,
    name: COMMAND_NAME,
    description: 'Outages of the services this channel depends on',
    default_member_permissions: null,
    contexts: [CONTEXT_GUILD],
    integration_types: [INSTALL_GUILD],
    options: commands.map((def) => ({
      type: SUB_COMMAND,
      name: def.name,
      description: describe(def.description),
      options: [...def.options]
        .sort((a, b) => Number(b.required) - Number(a.required))
        .map(optionJson),
    })),
  };
}

/** The fields this bot sets, with Discord's omissions filled in, for comparison. */
function normalizeOption(o: Partial<OptionJson>): unknown {
  return {
    type: o.type,
    name: o.name,
    description: o.description,
    required: o.required ?? false,
    autocomplete: o.autocomplete ?? false,
    choices: (o.choices ?? []).map((c) => ({ name: c.name, value: c.value })),
    options: (o.options ?? []).map(normalizeOption),
  };
}

function normalizeCommand(c: Partial<CommandJson>): unknown {
  return {
    type: c.type ?? CHAT_INPUT,
    name: c.name,
    description: c.description,
    default_member_permissions: c.default_member_permissions ?? null,
    contexts: [...(c.contexts ?? [])].sort(),
    integration_types: [...(c.integration_types ?? [])].sort(),
    options: (c.options ?? []).map(normalizeOption),
  };
}

/** True when Discord's registered set differs from the wanted one (so a PUT is needed). */
export function commandsDiffer(
  existing: readonly Partial<CommandJson>[],
  wanted: readonly CommandJson[],
): boolean {
  const key = (list: readonly Partial<CommandJson>[]) =>
    JSON.stringify(
      [...list].sort((a, b) => String(a.name).localeCompare(String(b.name))).map(normalizeCommand),
    );
  return key(existing) !== key(wanted);
}

/**
 * Registers `/outage` (globally, or to one guild for development) only when Discord's copy differs:
 * command writes have a small daily quota and global changes take a while to reach clients.
 */
export async function registerCommands(opts: {
  rest: REST;
  applicationId: string;
  guildId?: string;
  commands: readonly CommandDefinition[];
  logger: Logger;
}): Promise<'unchanged' | 'updated'> {
  const route = opts.guildId
    ? Routes.applicationGuildCommands(opts.applicationId, opts.guildId)
    : Routes.applicationCommands(opts.applicationId);
  const wanted = [buildCommandJson(opts.commands)];
  const scope = opts.guildId ? { guild: opts.guildId } : { scope: 'global' };
  const existing = (await opts.rest.get(route)) as Partial<CommandJson>[];
  if (!commandsDiffer(existing, wanted)) {
    opts.logger.info(scope, 'discord: /outage is registered and up to date');
    return 'unchanged';
  }
  await opts.rest.put(route, { body: wanted });
  opts.logger.info(scope, 'discord: registered /outage');
  return 'updated';
}
