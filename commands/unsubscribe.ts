import type { Subscription } from '../src/incidents/subscription.js';
import type { CommandContext, CommandDefinition, CommandOptions, Reply } from './command.js';
import { andList } from './did-you-mean.js';
import { errorReply, SLASH, serviceName } from './format.js';
import { lookupService } from './lookup.js';
import { inServiceTurn } from './service-turn.js';

export const unsubscribe: CommandDefinition = {
  name: 'unsubscribe',
  description: 'Stop following a service in this channel, or every service with "all".',
  options: [
    {
      name: 'service',
      description: 'Service id, name or alias, or "all"',
      required: true,
      autocomplete: true,
      rest: true,
    },
  ],
  manages: true,
  examples: ['unsubscribe github', 'unsubscribe all'],
  run: runUnsubscribe,
};

async function runUnsubscribe(ctx: CommandContext, options: CommandOptions): Promise<Reply> {
  const query = (options.service ?? '').trim();
  const { store, catalog } = ctx.services;
  const subs = await store.listSubscriptionsForChannel(ctx.channel);
  if (query.toLowerCase() === 'all') return removeAll(ctx, subs);

  // A subscription may outlive its catalog entry (SERVICES_FILE edited), so match stored ids too.
  const byId = subs.find((s) => s.serviceId.toLowerCase() === query.toLowerCase());
  let serviceId = byId?.serviceId;
  if (!serviceId) {
    const found = lookupService(ctx, query);
    if (!found.ok) return found.reply;
    serviceId = found.service.id;
  }
  const name = serviceName(catalog, serviceId);
  const id = serviceId;
  if (!(await inServiceTurn(ctx, id, () => store.removeSubscription(id, ctx.channel)))) {
    const followed = subs.map((s) => serviceName(catalog, s.serviceId)).sort();
    return errorReply(
      followed.length > 0
        ? `This channel does not follow ${name}. It follows ${andList(followed)}.`
        : `This channel does not follow ${name}; it follows no services.`,
    );
  }
  return { visibility: 'in_channel', text: `This channel no longer follows ${name}.` };
}

async function removeAll(ctx: CommandContext, subs: Subscription[]): Promise<Reply> {
  const { store, catalog } = ctx.services;
  if (subs.length === 0) {
    return errorReply(`This channel follows no services; nothing to remove. Try ${SLASH} list.`);
  }
  const removed: string[] = [];
  for (const sub of subs) {
    const removal = () => store.removeSubscription(sub.serviceId, ctx.channel);
    if (await inServiceTurn(ctx, sub.serviceId, removal)) {
      removed.push(serviceName(catalog, sub.serviceId));
    }
  }
  return {
    visibility: 'in_channel',
    text: `This channel no longer follows any service (removed ${removed.sort().join(', ')}).`,
  };
}
