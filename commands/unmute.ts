import type { CommandContext, CommandDefinition, Reply } from './command.js';
import { errorReply, formatTime } from './format.js';

export const unmute: CommandDefinition = {
  name: 'unmute',
  description: 'End a mute early.',
  options: [],
  manages: true,
  examples: ['unmute'],
  run: runUnmute,
};

async function runUnmute(ctx: CommandContext): Promise<Reply> {
  const { store, now } = ctx.services;
  const until = await store.getMute(ctx.channel);
  if (!until || until.getTime() <= now().getTime()) {
    if (until) await store.setMute(ctx.channel, undefined);
    return errorReply('This channel is not muted.');
  }
  await store.setMute(ctx.channel, undefined);
  return {
    visibility: 'in_channel',
    text: `Incident messages are back on in this channel (the mute would have lasted until ${formatTime(until)}).`,
  };
}
