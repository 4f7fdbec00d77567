import type { AutocompleteInteraction, ChatInputCommandInteraction, Interaction } from 'discord.js';
import type { CommandOptions } from '../../commands/command.js';
import { runCommand } from '../../commands/registry.js';
import { isSubscriptionMuted } from '../../src/incidents/mute-policy.js';
import { answerButton } from './buttons.js';
import { COMMAND_NAME } from './command-definitions.js';
import {
  channelOf,
  commandContextOf,
  type InteractionDeps,
  replyInTime,
  reportFailure,
} from './interaction-reply.js';
import { isOwnCustomId } from './render-buttons.js';
import { plain } from './text.js';

export type { InteractionDeps } from './interaction-reply.js';

/**
 * Slash commands and autocomplete, translated into the platform-neutral commands. The Reply's
 * visibility decides: queries come back ephemeral (flags 64), a new subscription is announced in
 * the channel. Discord gives 3 s for the first answer: a command that takes longer is deferred, and if
 * the Reply's visibility differs from the deferral's the deferred message is swapped for a
 * follow-up with the right one.
 */

const AUTOCOMPLETE_LIMIT = 25;

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
  const ctx = commandContextOf(interaction, deps.services);
  await replyInTime(interaction, runCommand(def, ctx, options), def.manages, deps);
}

async function answerAutocomplete(
  interaction: AutocompleteInteraction,
  deps: InteractionDeps,
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const { catalog, store } = deps.services;
  const query = String(focused.value ?? '');
  const choices: { name: string; value: string }[] = [];
  const subcommand = interaction.options.getSubcommand(false);
  if (subcommand === 'unsubscribe' || subcommand === 'unmute') {
    // Offer what this channel follows (unmute: the services muted here), then "all".
    const at = deps.services.now();
    const subs = (await store.listSubscriptionsForChannel(channelOf(interaction))).filter(
      (s) => subcommand === 'unsubscribe' || isSubscriptionMuted(s, undefined, at),
    );
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
    if (subcommand === 'unsubscribe' && 'all'.startsWith(wanted))
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
    if (interaction.isChatInputCommand()) await reportFailure(interaction, log);
  }
}
