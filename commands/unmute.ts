import { isMuted, serviceMuteEnd } from '../src/incidents/mute-policy.js';
import type { CommandContext, CommandDefinition, CommandOptions, Reply } from './command.js';
import { errorReply, formatTime, serviceName } from './format.js';
import { lookupService } from './lookup.js';
import { inServiceTurn } from './service-turn.js';

export const unmute: CommandDefinition = {
  name: 'unmute',
  description: "End a mute early: the channel's, or one service's (muted with its button).",
  options: [
    {
      name: 'service',
      description: 'A service muted with the button; leave out for the channel mute',
      required: false,
      autocomplete: true,
      rest: true,
    },
  ],
  manages: true,
  examples: ['unmute', 'unmute github'],
  run: runUnmute,
};

async function runUnmute(ctx: CommandContext, options: CommandOptions): Promise<Reply> {
  const query = (options.service ?? '').trim();
  if (query) return unmuteService(ctx, query);
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

async function unmuteService(ctx: CommandContext, query: string): Promise<Reply> {
  const subs = await ctx.services.store.listSubscriptionsForChannel(ctx.channel);
  // A subscription may outlive its catalog entry, so stored ids match first (as unsubscribe).
  let sub = subs.find((s) => s.serviceId.toLowerCase() === query.toLowerCase());
  if (!sub) {
    const found = lookupService(ctx, query);
    if (!found.ok) return found.reply;
    sub = subs.find((s) => s.serviceId === found.service.id);
    if (!sub) return errorReply(`This channel does not follow ${found.service.name}.`);
  }
  const { serviceId } = sub;
  return inServiceTurn(ctx, serviceId, () => liftServiceMute(ctx, serviceId));
}

async function liftServiceMute(ctx: CommandContext, serviceId: string): Promise<Reply> {
  const { store, catalog, now } = ctx.services;
  // Read again in this turn: a mute or an unsubscribe may have just changed it.
  const sub = (await store.listSubscriptionsForChannel(ctx.channel)).find(
    (s) => s.serviceId === serviceId,
  );
  const name = serviceName(catalog, serviceId);
  if (!sub) return errorReply(`This channel does not follow ${name}.`);
  const until = serviceMuteEnd(sub);
  const { mutedUntil: _lifted, ...unmuted } = sub;
  if (!until || !isMuted(until, now())) {
    if (sub.mutedUntil) await store.putSubscription(unmuted);
    return errorReply(`${name} is not muted in this channel.`);
  }
  await store.putSubscription(unmuted);
  return {
    visibility: 'in_channel',
    text: `${name} incident messages are back on in this channel (its mute would have lasted until ${formatTime(until)}).`,
  };
}
