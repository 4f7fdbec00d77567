import type { Service } from '../../src/incidents/model.js';

/**
 * A trusted catalog service with one Statuspage source, at `https://status.<id>.example` unless
 * `url` says otherwise; override anything.
 */
export function catalogService(
  id: string,
  name = id,
  overrides: Partial<Service> & { url?: string } = {},
): Service {
  const { url = `https://status.${id}.example`, ...rest } = overrides;
  return { id, name, aliases: [], sources: [{ kind: 'statuspage', url }], trusted: true, ...rest };
}
