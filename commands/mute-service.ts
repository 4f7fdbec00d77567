import { isMuted, serviceMuteEnd } from '../src/incidents/mute-policy.js';
import type { CommandContext, CommandDefinition, CommandOptions, Reply } from './command.js';
import { errorReply, formatDuration, formatTime, SLASH, serviceName } from './format.js';
import { inServiceTurn } from './service-turn.js';

/** How long the "Mute this service for 1h" button mutes. */
export const SERVICE_MUTE_MS = 60 * 60_000;

/**
 * One service muted in this channel for an hour: the button on incident start messages. Not in
 * the slash-command table (the button is its only way in), but run through runCommand like every
 * command, so the manage policy is the one `/outage mute` has.
 */
export const muteService: CommandDefinition = {
  name: 'mute-service',
  description: 'Mute one service in this channel for an hour.',
  options: [{ name: 'service', description: 'Service id', required: true }],
  manages: true,
  examples: [],
  run: runMuteService,
};

function runMuteService(ctx: CommandContext, options: CommandOptions): Promise<Reply> {
  const serviceId = (options.service ?? '').trim();
  return inServiceTurn(ctx, serviceId, () => muteOnce(ctx, serviceId));
}

async function muteOnce(ctx: CommandContext, serviceId: string): Promise<Reply> {
  const { store, catalog, now } = ctx.services;
  const name = serviceName(catalog, serviceId);
  const sub = (await store.listSubscriptionsForChannel(ctx.channel)).find(
    (s) => s.serviceId === serviceId,
  );
  if (!sub) return errorReply(`This channel does not follow ${name}, so there is nothing to mute.`);
  const at = now();
  const current = serviceMuteEnd(sub);
  if (current && isMuted(current, at)) {
    return errorReply(`${name} is already muted in this channel until ${formatTime(current)}.`);
  }
  const until = new Date(at.getTime() + SERVICE_MUTE_MS);
  await store.putSubscription({ ...sub, mutedUntil: until.toISOString() });
  return {
    visibility: 'in_channel',
    text: `${name} is muted in this channel for ${formatDuration(SERVICE_MUTE_MS)}, until ${formatTime(until)}: no new ${name} threads here until then, open ones still get their updates. ${SLASH} unmute ${serviceId} ends it early.`,
  };
}
