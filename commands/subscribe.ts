import type { Impact, Service } from '../src/incidents/model.js';
import { mayOpenThreads, muteEndOf } from '../src/incidents/mute-policy.js';
import { startEventsForNewSubscription } from '../src/incidents/router.js';
import { isFreshState, type ServiceState } from '../src/incidents/state.js';
import type { Delivery, Subscription } from '../src/incidents/subscription.js';
import type { CommandContext, CommandDefinition, CommandOptions, Reply } from './command.js';
import { describeFilters, errorReply, formatTime, plural, quoteInput, SLASH } from './format.js';
import { lookupService } from './lookup.js';
import { readServiceStates } from './service-states.js';
import { unreachableNote } from './state-view.js';
import { mentionSyntaxFor, parseComponentList, parseImpact, parseMention } from './values.js';

/** Pings start at major unless the subscription itself asks for a minimum impact. */
const DEFAULT_MENTION_IMPACT: Impact = 'major';

export const subscribe: CommandDefinition = {
  name: 'subscribe',
  description:
    'Follow a service in this channel: one thread per incident. Optional, in any order: a minimum impact, components, and who to ping.',
  options: [
    {
      name: 'service',
      description: 'Service id, name or alias, or a status page URL',
      required: true,
      autocomplete: true,
    },
    {
      name: 'impact',
      description: 'Only incidents at least this bad (none, minor, major, critical)',
      required: false,
      choices: ['none', 'minor', 'major', 'critical'],
    },
    {
      name: 'components',
      description:
        'Only incidents touching these components, comma-separated ("Git Operations",API)',
      required: false,
    },
    {
      name: 'mention',
      description: 'Who to ping on a confirmed incident: @here, @channel, a user or a group',
      required: false,
    },
    {
      name: 'signals',
      description:
        'official: only incidents the status page announced; all (default): probes and user reports too',
      required: false,
      choices: ['all', 'official'],
    },
  ],
  manages: true,
  examples: [
    'subscribe github',
    'subscribe github major',
    'subscribe github minor "Git Operations",API @here',
    'subscribe facebook official',
    'subscribe https://status.example.com',
  ],
  run: runSubscribe,
};

async function runSubscribe(ctx: CommandContext, options: CommandOptions): Promise<Reply> {
  const found = await resolveService(ctx, options.service ?? '');
  if (!found.ok) return found.reply;
  const service = found.service;

  const impact = options.impact ? parseImpact(options.impact) : undefined;
  if (impact && !impact.ok) return errorReply(`Can't subscribe: ${impact.reason}.`);
  const mention = options.mention
    ? parseMention(options.mention, mentionSyntaxFor(ctx))
    : undefined;
  if (mention && !mention.ok) return errorReply(`Can't subscribe: ${mention.reason}.`);
  const signals = options.signals?.trim().toLowerCase();
  if (signals && signals !== 'all' && signals !== 'official') {
    return errorReply(
      `Can't subscribe: signals must be all or official (got ${quoteInput(signals)}).`,
    );
  }
  if (mention && mention.value !== 'none') {
    const allowed = await ctx.checkMention(mention.value);
    if (!allowed.ok) return errorReply(`Can't subscribe: ${allowed.reason}.`);
  }

  const { store, now } = ctx.services;
  const state = (await readServiceStates(store, service)).merged;
  const { names: components, unknown } = matchComponents(
    parseComponentList(options.components ?? ''),
    state,
  );
  const existing = (await store.listSubscriptionsForChannel(ctx.channel)).find(
    (s) => s.serviceId === service.id,
  );
  const at = now();
  const minImpact = impact?.value ?? 'none';
  const sub: Subscription = {
    serviceId: service.id,
    channel: ctx.channel,
    filters: { minImpact, components, ...(signals === 'official' ? { signals } : {}) },
    mention: mention?.value ?? 'none',
    mentionMinImpact: impact ? minImpact : DEFAULT_MENTION_IMPACT,
    createdAt: existing?.createdAt ?? at.toISOString(),
    createdBy: existing?.createdBy ?? ctx.userId,
    // Changing filters is not unmuting: a service mute lasts until it ends or is lifted.
    ...(existing?.mutedUntil ? { mutedUntil: existing.mutedUntil } : {}),
  };
  const outcome = await store.putSubscription(sub);
  // Read again now that the subscription is stored: a poll that committed meanwhile either routed
  // its events to this channel already, or is in this state.
  const current = (await readServiceStates(store, service)).merged;
  const fresh = current && isFreshState(current, at) ? current : undefined;

  const lines = [
    outcome === 'created'
      ? `This channel now follows ${service.name}: ${describeFilters(sub)}.`
      : `Updated this channel's ${service.name} subscription: ${describeFilters(sub)}.`,
  ];
  if (existing?.suspended) lines.push('It was suspended; posting resumes now.');
  if (fresh) {
    const signals = (await store.getSignals(service.id))?.state;
    const deliveries = startEventsForNewSubscription(fresh, service.name, sub, at, signals);
    // A mute holds these starts back (they would open threads); say so rather than stay silent.
    const channelMute = await store.getMute(ctx.channel);
    const mutedUntil = muteEndOf(sub, channelMute);
    if (deliveries.length > 0 && mutedUntil && !mayOpenThreads(sub, channelMute, at)) {
      const what = mutedUntil === channelMute ? 'this channel is' : `${service.name} is`;
      lines.push(
        `${openCount(deliveries)} right now, not posted: ${what} muted${mutedUntil === channelMute ? '' : ' in this channel'} until ${formatTime(mutedUntil)}.`,
      );
    } else if (deliveries.length > 0 && (await store.enqueue(deliveries)) > 0) {
      lines.push(`${openCount(deliveries)} right now: threads follow.`);
    }
    const down = unreachableNote(fresh);
    if (down) lines.push(`Note: ${service.name} ${down}; I'll post once it answers.`);
  }
  if (outcome === 'created' && !fresh?.baselined) {
    // Not polled yet, or not for a while: the next poll shows this channel what is open.
    lines.push(`Checking ${service.name}'s status page now: anything open will follow here.`);
    ctx.services.pollNow?.(service.id);
  }
  if (unknown.length > 0) {
    lines.push(
      `Note: ${service.name} lists no component named ${unknown.map((n) => quoteInput(n)).join(', ')} right now; see ${SLASH} status ${service.id}.`,
    );
  }
  return { visibility: 'in_channel', text: lines.join('\n') };
}

function openCount(deliveries: Delivery[]): string {
  const maintenances = deliveries.filter((d) => d.event.subject.kind === 'maintenance').length;
  const incidents = deliveries.length - maintenances;
  const parts = [];
  if (incidents > 0 || maintenances === 0) parts.push(plural(incidents, 'incident'));
  if (maintenances > 0) parts.push(plural(maintenances, 'maintenance'));
  return `${parts.join(' and ')} open`;
}

type Resolved = { ok: true; service: Service } | { ok: false; reply: Reply };

async function resolveService(ctx: CommandContext, query: string): Promise<Resolved> {
  const text = query.trim();
  if (!/^https?:\/\//i.test(text)) return lookupService(ctx, text);
  const { resolveStatusPageUrl, catalog } = ctx.services;
  if (!resolveStatusPageUrl) {
    return {
      ok: false,
      reply: errorReply(
        `Subscribing by status page URL is turned off on this bot. Pick a known service (${SLASH} services) or ask the operator to add the page to SERVICES_FILE.`,
      ),
    };
  }
  const result = await resolveStatusPageUrl(text);
  if (!result.ok) {
    const reason = /[.!?]$/.test(result.reason) ? result.reason : `${result.reason}.`;
    return { ok: false, reply: errorReply(`Can't use ${quoteInput(text)}. ${reason}`) };
  }
  const service = catalog.get(result.serviceId);
  if (!service) {
    return {
      ok: false,
      reply: errorReply(`Can't use ${quoteInput(text)}: the page was not added to the catalog.`),
    };
  }
  return { ok: true, service };
}

/**
 * Filters match case-insensitively anyway; adopting the page's own spelling makes `list` read
 * like the status page. Names the page does not list are kept (the page may add them later) but
 * reported, since a typo would silently filter out everything.
 */
function matchComponents(
  names: string[],
  state: ServiceState | undefined,
): { names: string[]; unknown: string[] } {
  const known = new Map<string, string>();
  for (const c of Object.values(state?.components ?? {})) known.set(c.name.toLowerCase(), c.name);
  for (const t of Object.values(state?.subjects ?? {})) {
    for (const name of t.subject.components) known.set(name.toLowerCase(), name);
  }
  if (known.size === 0) return { names, unknown: [] };
  return {
    names: names.map((n) => known.get(n.toLowerCase()) ?? n),
    unknown: names.filter((n) => !known.has(n.toLowerCase())),
  };
}
