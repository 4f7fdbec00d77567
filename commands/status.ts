import { formatDuration } from '../src/incidents/format.js';
import type { Service } from '../src/incidents/model.js';
import { PAGE_LAG_PERIOD_MS, pageLag } from '../src/incidents/page-lag.js';
import type { SignalState } from '../src/incidents/signal-state.js';
import type { ServiceState } from '../src/incidents/state.js';
import type {
  CommandContext,
  CommandDefinition,
  CommandOptions,
  Reply,
  ReplyItem,
} from './command.js';
import { formatTime, plural, SLASH } from './format.js';
import { lookupService } from './lookup.js';
import { readServiceStates, sourceHealthLine } from './service-states.js';
import { degradedComponents, openSubjects, subjectItem, unreachableNote } from './state-view.js';

export const status: CommandDefinition = {
  name: 'status',
  description:
    "Open incidents of this channel's services, or the full picture of one service (incidents, maintenance, components, last poll).",
  options: [
    {
      name: 'service',
      description: 'Service id, name or alias (default: the services this channel follows)',
      required: false,
      autocomplete: true,
      rest: true,
    },
  ],
  manages: false,
  examples: ['status', 'status github'],
  run: (ctx: CommandContext, options: CommandOptions) => {
    const query = options.service?.trim();
    return query ? serviceStatus(ctx, query) : channelStatus(ctx);
  },
};

async function channelStatus(ctx: CommandContext): Promise<Reply> {
  const { store, catalog } = ctx.services;
  const subs = await store.listSubscriptionsForChannel(ctx.channel);
  if (subs.length === 0) {
    return {
      visibility: 'ephemeral',
      text: `This channel follows no services. Ask about one with ${SLASH} status github, or follow it with ${SLASH} subscribe github.`,
    };
  }
  const items: ReplyItem[] = [];
  let troubled = 0;
  const named = subs
    .map((sub) => ({ sub, name: catalog.get(sub.serviceId)?.name ?? sub.serviceId }))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const { sub, name } of named) {
    const service = catalog.get(sub.serviceId);
    const state = service
      ? (await readServiceStates(store, service)).merged
      : await store.getState(sub.serviceId);
    const open = state ? openSubjects(state) : [];
    const down = state ? unreachableNote(state) : undefined;
    if (open.length > 0 || down) troubled++;
    if (down) items.push({ label: name, detail: down });
    for (const tracked of open) items.push(subjectItem(tracked, name));
    if (open.length === 0 && !down) {
      items.push({
        label: name,
        detail: state?.baselined ? 'no open incidents' : 'not polled yet',
      });
    }
  }
  const text =
    troubled === 0
      ? `No open incidents across the ${plural(subs.length, 'service')} this channel follows.`
      : `${troubled} of the ${plural(subs.length, 'service')} this channel follows ${troubled === 1 ? 'has' : 'have'} open incidents or an unreachable status page.`;
  return { visibility: 'ephemeral', title: "This channel's services", text, items };
}

async function serviceStatus(ctx: CommandContext, query: string): Promise<Reply> {
  const found = lookupService(ctx, query);
  if (!found.ok) return found.reply;
  const service = found.service;
  const { merged: state, feeds } = await readServiceStates(ctx.services.store, service);
  if (!state || (!state.baselined && state.health.consecutiveFailures === 0)) {
    return {
      visibility: 'ephemeral',
      text: `I have no data on ${service.name} yet: services are polled while a channel follows them. ${SLASH} subscribe ${service.id} starts that.`,
    };
  }
  const described = describeState(service, state);
  const signals = await ctx.services.store.getSignals(service.id);
  const lag = signals ? pageLagLine(signals.state, ctx.services.now()) : undefined;
  // Each source's own health, once a service has more than one (a page, probes, metastatus).
  const sources =
    feeds.length > 1
      ? `\nSources:\n${feeds.map((f) => `• ${sourceHealthLine(f)}`).join('\n')}`
      : '';
  return {
    visibility: 'ephemeral',
    title: `${service.name} status`,
    text: `${described.text}${lag ? `\n${lag}` : ''}${sources}`,
    items: described.items,
  };
}

function describeState(
  service: Service,
  state: ServiceState,
): { text: string; items: ReplyItem[] } {
  const open = openSubjects(state);
  const components = degradedComponents(state);
  const items = [...open.map((t) => subjectItem(t)), ...components];
  const lines: string[] = [];
  const down = unreachableNote(state);
  if (down) {
    lines.push(`${down.charAt(0).toUpperCase()}${down.slice(1)}; below is the last known state.`);
    if (state.health.lastError) lines.push(`Last error: ${state.health.lastError.slice(0, 200)}`);
  } else if (state.health.lastOkAt) {
    lines.push(`Last successful poll: ${formatTime(state.health.lastOkAt)}.`);
  }
  const incidents = open.filter((t) => t.subject.kind === 'incident').length;
  const maintenances = open.length - incidents;
  if (open.length === 0 && components.length === 0) {
    lines.push(
      down
        ? `No open incidents were known when ${service.name}'s page was last reached.`
        : `No open incidents; every component of ${service.name} is operational.`,
    );
  } else {
    const parts = [plural(incidents, 'open incident')];
    if (maintenances > 0) parts.push(plural(maintenances, 'maintenance'));
    parts.push(`${plural(components.length, 'component')} not operational`);
    lines.push(`${parts.join(', ')}.`);
  }
  return { text: lines.join('\n'), items };
}

/**
 * How far the provider's page can be trusted, from the outages probes or reports saw first: the
 * median time until the page spoke, and how many it never announced. Nothing when there were none.
 */
function pageLagLine(signals: SignalState, now: Date): string | undefined {
  const lag = pageLag(signals, now);
  if (lag.outages === 0) return undefined;
  const days = Math.round(PAGE_LAG_PERIOD_MS / 86_400_000);
  const seen = `Status page lag over ${days} days: ${plural(lag.outages, 'outage')} seen first by probes or user reports`;
  const announced = lag.outages - lag.neverAnnounced;
  if (lag.medianMs === undefined) return `${seen}; the page announced none of them.`;
  const median = `the page announced ${announced}, a median of ${formatDuration(lag.medianMs)} after the first signal`;
  return lag.neverAnnounced === 0
    ? `${seen}; ${median}.`
    : `${seen}; ${median}, and never announced ${lag.neverAnnounced}.`;
}
