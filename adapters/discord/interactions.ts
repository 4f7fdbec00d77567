import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
  PermissionFlagsBits,
  type RepliableInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import type {
  CommandDefinition,
  CommandOptions,
  CommandServices,
  Reply,
} from '../../commands/command.js';
import { runCommand } from '../../commands/registry.js';
import type { ChannelRef } from '../../src/incidents/subscription.js';
import { answerButton } from './buttons.js';
import { COMMAND_NAME } from './command-definitions.js';
import { checkDiscordMention, noMentions } from './mentions.js';
import { isOwnCustomId } from './render-buttons.js';
import { renderReply } from './render-reply.js';
import { plain } from './text.js';

/**
 * Slash commands and autocomplete, translated into the platform-neutral commands. The Reply's
 * visibility decides: queries come back ephemeral (flags 64), a new subscription is announced in
 * the channel. Discord gives 3 s for the first answer: a command that takes longer is deferred, and if
 * the Reply's visibility differs from the deferral's the deferred message is swapped for a
 * follow-up with the right one.
 */

export interface InteractionDeps {
  commands: readonly CommandDefinition[];
  services: CommandServices;
  logger: Logger;
  /** How long a command may run before the reply is deferred (well inside Discord's 3 s). */
  deferAfterMs?: number;
}

const AUTOCOMPLETE_LIMIT = 25;

export function channelOf(interaction: Interaction): ChannelRef {
  return {
    platform: 'discord',
    workspaceId: interaction.guildId ?? '',
    channelId: interaction.channelId ?? '',
  };
}

export function payload(reply: Reply) {
  return {
    embeds: [renderReply(reply)],
    allowedMentions: noMentions(),
    ...(reply.visibility === 'ephemeral' ? { flags: MessageFlags.Ephemeral as const } : {}),
  };
}

async function answerCommand(
  interaction: ChatInputCommandInteraction,
  deps: InteractionDeps,
): Promise<void> {
  const name = interaction.options.getSubcommand(false) ?? 'help';
  const def =
    deps.commands.find((c) => c.name === name) ?? deps.commands.find((c) => c.name === 'help');
  if (!def) return;
  const options: CommandOptions = {};
  for (const spec of def.options) {
    const value = interaction.options.get(spec.name)?.value;
    if (value !== undefined && value !== null) options[spec.name] = String(value);
  }
  const ctx = {
    channel: channelOf(interaction),
    userId: interaction.user.id,
    canManage: interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false,
    checkMention: checkDiscordMention(interaction),
    services: deps.services,
  };
  await replyInTime(interaction, runCommand(def, ctx, options), def.manages, deps);
}

/**
 * Answers with the Reply of `running`: at once if it is ready inside the deferral budget, else
 * deferred (as `in_channel` when the command changes something, else ephemeral) and then edited,
 * or swapped for a follow-up when the Reply's visibility differs from the deferral's.
 */
export async function replyInTime(
  interaction: RepliableInteraction,
  running: Promise<Reply>,
  changes: boolean,
  deps: InteractionDeps,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), deps.deferAfterMs ?? 1_500);
  });
  const early = await Promise.race([running, late]);
  clearTimeout(timer);
  if (early) {
    await interaction.reply(payload(early));
    return;
  }
  const guess: Reply['visibility'] = changes ? 'in_channel' : 'ephemeral';
  await interaction.deferReply(guess === 'ephemeral' ? { flags: MessageFlags.Ephemeral } : {});
  const reply = await running;
  if (reply.visibility === guess) {
    await interaction.editReply({ embeds: payload(reply).embeds, allowedMentions: noMentions() });
    return;
  }
  await interaction.deleteReply();
  await interaction.followUp(payload(reply));
}

async function answerAutocomplete(
  interaction: AutocompleteInteraction,
  deps: InteractionDeps,
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const { catalog, store } = deps.services;
  const query = String(focused.value ?? '');
  const choices: { name: string; value: string }[] = [];
  if (interaction.options.getSubcommand(false) === 'unsubscribe') {
    // Offer what this channel follows, then "all".
    const subs = await store.listSubscriptionsForChannel(channelOf(interaction));
    const wanted = query.trim().toLowerCase();
    for (const sub of subs) {
      const label = catalog.get(sub.serviceId)?.name ?? sub.serviceId;
      if (!wanted || `${label} ${sub.serviceId}`.toLowerCase().includes(wanted)) {
        choices.push({
          name: plain(`${label} (${sub.serviceId})`, 100),
          value: sub.serviceId.slice(0, 100),
        });
      }
    }
    if ('all'.startsWith(wanted))
      choices.push({ name: 'all (every service in this channel)', value: 'all' });
  } else {
    for (const service of catalog.search(query, AUTOCOMPLETE_LIMIT)) {
      choices.push({
        name: plain(`${service.name} (${service.id})`, 100),
        value: service.id.slice(0, 100),
      });
    }
  }
  await interaction.respond(choices.slice(0, AUTOCOMPLETE_LIMIT));
}

/** The InteractionCreate listener. Never throws: failures are logged and, if possible, answered. */
export async function handleInteraction(
  interaction: Interaction,
  deps: InteractionDeps,
): Promise<void> {
  if (interaction.isButton()) {
    if (isOwnCustomId(interaction.customId)) await answerButton(interaction, deps);
    return;
  }
  if (!interaction.isChatInputCommand() && !interaction.isAutocomplete()) return;
  if (interaction.commandName !== COMMAND_NAME) return;
  const log = deps.logger.child({
    interaction: interaction.id,
    guild: interaction.guildId,
    channel: interaction.channelId,
    subcommand: interaction.options.getSubcommand(false),
  });
  try {
    if (interaction.isAutocomplete()) await answerAutocomplete(interaction, deps);
    else await answerCommand(interaction, deps);
  } catch (err) {
    log.error({ err }, 'discord: interaction failed');
    if (interaction.isChatInputCommand() && !interaction.replied) {
      const reply: Reply = {
        visibility: 'ephemeral',
        text: 'Something went wrong. Try again in a minute.',
        error: true,
      };
      const answer = interaction.deferred
        ? interaction.followUp(payload(reply))
        : interaction.reply(payload(reply));
      await answer.catch((e: unknown) =>
        log.warn({ err: e }, 'discord: could not report the failure'),
      );
    }
  }
}
