import { isMuted, serviceMuteEnd } from '../src/incidents/mute-policy.js';
import type { CommandContext, CommandDefinition, Reply, ReplyItem } from './command.js';
import { describeFilters, formatTime, plural, SLASH, serviceName } from './format.js';

export const list: CommandDefinition = {
  name: 'list',
  description: "Show this channel's subscriptions and their filters.",
  options: [],
  manages: false,
  examples: ['list'],
  run: runList,
};

async function runList(ctx: CommandContext): Promise<Reply> {
  const { store, catalog, now } = ctx.services;
  const subs = await store.listSubscriptionsForChannel(ctx.channel);
  const mutedUntil = await store.getMute(ctx.channel);
  const muted =
    mutedUntil && mutedUntil.getTime() > now().getTime()
      ? `Muted until ${formatTime(mutedUntil)} (${SLASH} unmute ends it).`
      : undefined;
  if (subs.length === 0) {
    const text = `This channel follows no services. Try ${SLASH} subscribe github, or ${SLASH} services to see what I know.`;
    return { visibility: 'ephemeral', text: muted ? `${text}\n${muted}` : text };
  }
  const items: ReplyItem[] = subs
    .map((sub) => {
      let detail = describeFilters(sub);
      const serviceMute = serviceMuteEnd(sub);
      if (serviceMute && isMuted(serviceMute, now())) {
        detail += `; muted until ${formatTime(serviceMute)} (${SLASH} unmute ${sub.serviceId} ends it)`;
      }
      if (sub.suspended) {
        detail += `; suspended since ${formatTime(sub.suspended.at)} (${sub.suspended.reason}), subscribe again to resume`;
      }
      return { label: serviceName(catalog, sub.serviceId), detail };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
  const lines = [`This channel follows ${plural(subs.length, 'service')}.`];
  if (muted) lines.push(muted);
  return { visibility: 'ephemeral', title: 'Subscriptions', text: lines.join('\n'), items };
}
