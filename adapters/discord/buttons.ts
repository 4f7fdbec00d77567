import type { ButtonInteraction } from 'discord.js';
import { runButton } from '../../commands/buttons.js';
import {
  commandContextOf,
  type InteractionDeps,
  replyInTime,
  reportFailure,
} from './interaction-reply.js';
import { parseCustomId } from './render-buttons.js';

/**
 * A press on an incident button (a MESSAGE_COMPONENT interaction), run like its command with the
 * member's Manage Channels right from the interaction, as a slash command is. The answer is a new
 * message (callback type 4): refusals and "already" answers ephemeral, a change in the channel.
 * The start message itself is left as it is. Never throws.
 */
export async function answerButton(
  interaction: ButtonInteraction,
  deps: InteractionDeps,
): Promise<void> {
  const press = parseCustomId(interaction.customId);
  const log = deps.logger.child({
    interaction: interaction.id,
    channel: interaction.channelId,
    button: interaction.customId.slice(0, 100),
  });
  const ctx = commandContextOf(interaction, deps.services);
  try {
    await replyInTime(interaction, runButton(press, ctx), press !== undefined, deps);
  } catch (err) {
    log.error({ err }, 'discord: incident button failed');
    await reportFailure(interaction, log);
  }
}
