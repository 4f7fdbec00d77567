import type { Service } from '../src/incidents/model.js';
import type { CommandContext, Reply } from './command.js';
import { orList } from './did-you-mean.js';
import { errorReply, quoteInput, SLASH } from './format.js';

export type Lookup = { ok: true; service: Service } | { ok: false; reply: Reply };

/** "github (GitHub)": the id is what to type, the name is what people recognise. */
export function serviceLabel(service: Service): string {
  return service.name.toLowerCase() === service.id.toLowerCase()
    ? service.name
    : `${service.id} (${service.name})`;
}

/** Finds a catalog service by id, name or alias, or explains the miss with a "did you mean". */
export function lookupService(ctx: CommandContext, query: string): Lookup {
  const byUrl = findByPageUrl(ctx, query.trim());
  if (byUrl) return { ok: true, service: byUrl };
  const { service, suggestions } = ctx.services.catalog.find(query.trim());
  if (service) return { ok: true, service };
  const lines = [`I don't know a service called ${quoteInput(query)}.`];
  if (suggestions.length > 0) {
    lines.push(`Did you mean ${orList(suggestions.slice(0, 3).map(serviceLabel))}?`);
  } else if (
    /^[\w-]+(\.[\w-]+)+(\/\S*)?$/.test(query.trim()) &&
    ctx.services.resolveStatusPageUrl
  ) {
    lines.push(`If that is a status page, give its full address: https://${query.trim()}`);
  }
  lines.push(`${SLASH} services <query> searches the services I know.`);
  return { ok: false, reply: errorReply(lines.join('\n')) };
}

/** `status https://www.githubstatus.com` means the service whose source lives there. */
function findByPageUrl(ctx: CommandContext, query: string): Service | undefined {
  if (!/^https?:\/\//i.test(query)) return undefined;
  const key = pageKey(query);
  return ctx.services.catalog
    .all()
    .find((s) => s.sources.some((source) => key !== undefined && pageKey(source.url) === key));
}

function pageKey(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    const path = parsed.pathname.replace(/\/(api\/v2\/.*)?$/, '');
    return `${parsed.hostname.replace(/^www\./, '')}${path}`.toLowerCase();
  } catch {
    return undefined;
  }
}
