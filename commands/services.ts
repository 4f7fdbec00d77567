import type { Service } from '../src/incidents/model.js';
import type { CommandContext, CommandDefinition, CommandOptions, Reply } from './command.js';
import { plural, quoteInput, SLASH } from './format.js';

/** Enough to scan in a chat reply; the rest is reached by narrowing the query. */
export const SERVICES_SHOWN = 15;

export const services: CommandDefinition = {
  name: 'services',
  description: 'Search the services the bot knows (by id, name or alias).',
  options: [
    {
      name: 'query',
      description: 'Part of a service id, name or alias',
      required: false,
      rest: true,
    },
  ],
  manages: false,
  examples: ['services', 'services cloud'],
  run: runServices,
};

async function runServices(ctx: CommandContext, options: CommandOptions): Promise<Reply> {
  const { catalog, store } = ctx.services;
  const query = options.query?.trim() ?? '';
  const total = catalog.all().length;
  const matches: Service[] = query
    ? catalog.search(query, total)
    : catalog.all().sort((a, b) => a.name.localeCompare(b.name));
  if (matches.length === 0) {
    const lines = [`No service matches ${quoteInput(query)}.`];
    if (ctx.services.resolveStatusPageUrl) {
      lines.push(
        `${SLASH} subscribe also takes a status page URL, e.g. ${SLASH} subscribe https://status.example.com`,
      );
    }
    return { visibility: 'ephemeral', text: lines.join('\n'), error: true };
  }
  const followed = new Set(
    (await store.listSubscriptionsForChannel(ctx.channel)).map((s) => s.serviceId),
  );
  const items = matches.slice(0, SERVICES_SHOWN).map((s) => {
    const details = [`id ${s.id}`];
    if (s.aliases.length > 0) details.push(`also ${s.aliases.join(', ')}`);
    if (followed.has(s.id)) details.push('followed here');
    return { label: s.name, detail: details.join('; ') };
  });
  const head = query
    ? `${plural(matches.length, 'service')} ${matches.length === 1 ? 'matches' : 'match'} ${quoteInput(query)}.`
    : `I know ${plural(matches.length, 'service')}.`;
  const lines = [head];
  const more = matches.length - items.length;
  if (more > 0) {
    lines.push(
      `Showing ${items.length}; ${more} more. Narrow it down with ${SLASH} services <query>.`,
    );
  }
  lines.push(`Follow one with ${SLASH} subscribe <id>.`);
  return { visibility: 'ephemeral', title: 'Services', text: lines.join('\n'), items };
}
