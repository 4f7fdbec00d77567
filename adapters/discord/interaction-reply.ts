import {
  type Interaction,
  MessageFlags,
  PermissionFlagsBits,
  type RepliableInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import type {
  CommandContext,
  CommandDefinition,
  CommandServices,
  Reply,
} from '../../commands/command.js';
import type { ChannelRef } from '../../src/incidents/subscription.js';
import { checkDiscordMention, noMentions } from './mentions.js';
import { renderReply, replyFiles } from './render-reply.js';

/** How slash commands and button presses are answered, shared by interactions.ts and buttons.ts. */

export interface InteractionDeps {
  commands: readonly CommandDefinition[];
  services: CommandServices;
  logger: Logger;
  /** How long a command may run before the reply is deferred (well inside Discord's 3 s). */
  deferAfterMs?: number;
}

export function channelOf(interaction: Interaction): ChannelRef {
  return {
    platform: 'discord',
    workspaceId: interaction.guildId ?? '',
    channelId: interaction.channelId ?? '',
  };
}

/** Who is asking, where, and with which rights: the same for a slash command and a button. */
export function commandContextOf(
  interaction: RepliableInteraction,
  services: CommandServices,
): CommandContext {
  return {
    channel: channelOf(interaction),
    userId: interaction.user.id,
    canManage: interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false,
    checkMention: checkDiscordMention(interaction),
    services,
  };
}

export function payload(reply: Reply) {
  return {
    embeds: [renderReply(reply)],
    // Only with a picture: an empty file list would still send `attachments: []`.
    ...(reply.image ? { files: replyFiles(reply) } : {}),
    allowedMentions: noMentions(),
    ...(reply.visibility === 'ephemeral' ? { flags: MessageFlags.Ephemeral as const } : {}),
  };
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
    const { embeds, files } = payload(reply);
    await interaction.editReply({
      embeds,
      ...(files ? { files } : {}),
      allowedMentions: noMentions(),
    });
    return;
  }
  await interaction.deleteReply();
  await interaction.followUp(payload(reply));
}

/** After an unexpected error: a short private apology, unless the person was already answered. */
export async function reportFailure(interaction: RepliableInteraction, log: Logger): Promise<void> {
  if (interaction.replied) return;
  const reply: Reply = {
    visibility: 'ephemeral',
    text: 'Something went wrong. Try again in a minute.',
    error: true,
  };
  const answer = interaction.deferred
    ? interaction.followUp(payload(reply))
    : interaction.reply(payload(reply));
  await answer.catch((e: unknown) => log.warn({ err: e }, 'discord: could not report the failure'));
}
