import { formatDuration as formatSharedDuration } from '../src/incidents/format.js';
import type { Impact } from '../src/incidents/model.js';
import type { MentionKind, Subscription } from '../src/incidents/subscription.js';
import type { Catalog } from '../src/sources/catalog.js';
import type { CommandDefinition, OptionSpec, Reply } from './command.js';
import { orList } from './did-you-mean.js';

/** The slash command as users type it; help and error replies show it in examples. */
export const SLASH = '/outage';

/** Echoed user input is cut so a pasted novel cannot blow up a reply. */
const MAX_ECHO = 60;

export function quoteInput(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return `"${oneLine.length > MAX_ECHO ? `${oneLine.slice(0, MAX_ECHO - 1)}…` : oneLine}"`;
}

export function errorReply(text: string): Reply {
  return { visibility: 'ephemeral', text, error: true };
}

/** Plain, zone-explicit time: the reply is plain text, so no platform date markup. */
export function formatTime(at: string | Date): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return String(at);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The shared duration format (src/incidents/format.ts), with a third unit: replies confirm a
 * mute's length in full ("1d 2h 30m"), and days, hours and minutes are all `mute` accepts.
 */
export const formatDuration = (ms: number): string => formatSharedDuration(ms, 3);

export function usageLine(def: CommandDefinition): string {
  const args = def.options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`));
  return [SLASH, def.name, ...args].join(' ');
}

export function exampleLine(def: CommandDefinition): string {
  return `${SLASH} ${def.examples[0] ?? def.name}`;
}

export function serviceName(catalog: Catalog, serviceId: string): string {
  return catalog.get(serviceId)?.name ?? serviceId;
}

const IMPACT_SCOPE: Record<Impact, string> = {
  none: 'all incidents',
  minor: 'minor, major and critical incidents',
  major: 'major and critical incidents',
  critical: 'critical incidents',
};

/** Who a subscription pings, said without mention syntax so the reply itself pings nobody. */
export function describeMention(mention: MentionKind): string {
  if (mention === 'none') return 'nobody';
  if (mention === 'here') return '@here';
  if (mention === 'channel') return '@channel';
  if ('role' in mention) return `group ${mention.role}`;
  return `user ${mention.user}`;
}

/** "major and critical incidents on API or Webhooks; pings @here on critical incidents". */
export function describeFilters(sub: Subscription): string {
  let text = IMPACT_SCOPE[sub.filters.minImpact];
  if (sub.filters.components.length > 0) {
    text += ` on ${orList(sub.filters.components)}`;
  }
  if (sub.filters.signals === 'official') text += ', official word only';
  if (sub.mention !== 'none') {
    text += `; pings ${describeMention(sub.mention)} on ${IMPACT_SCOPE[sub.mentionMinImpact]}`;
  }
  return text;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The reply for a required option left out: what is missing, the usage line and an example. */
export function missingOptionReply(def: CommandDefinition, option: OptionSpec): Reply {
  return errorReply(
    `${SLASH} ${def.name} needs a ${option.name}.\nUsage: ${usageLine(def)}\nExample: ${exampleLine(def)}`,
  );
}
