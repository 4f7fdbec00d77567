import type { CommandContext, CommandDefinition, CommandOptions, Reply } from './command.js';
import { parseDuration } from './duration.js';
import { errorReply, formatDuration, formatTime, SLASH } from './format.js';

export const mute: CommandDefinition = {
  name: 'mute',
  description: 'Pause incident messages in this channel for a while (at most 30 days).',
  options: [
    {
      name: 'duration',
      description: 'How long, e.g. 30m, 2h, 1d or 1h30m',
      required: true,
      rest: true,
    },
  ],
  manages: true,
  examples: ['mute 2h', 'mute 1h30m', 'mute 1d'],
  run: runMute,
};

async function runMute(ctx: CommandContext, options: CommandOptions): Promise<Reply> {
  const parsed = parseDuration(options.duration ?? '');
  if (!parsed.ok) return errorReply(`Can't mute: ${parsed.reason}.`);
  const { store, now } = ctx.services;
  const until = new Date(now().getTime() + parsed.value);
  await store.setMute(ctx.channel, until);
  return {
    visibility: 'in_channel',
    text: `Incident messages are muted in this channel for ${formatDuration(parsed.value)}, until ${formatTime(until)}. ${SLASH} unmute ends it early.`,
  };
}
