import type { Service, SourceConfig } from '../incidents/model.js';
import { probeKind } from './probe.js';
import type { Source, SourceDeps, SourceKind } from './source.js';
import { statuspageKind } from './statuspage.js';

/** Every source kind the bot knows. Adding a kind means one file and one line here. */
export const SOURCE_KINDS: Record<string, SourceKind> = {
  [statuspageKind.kind]: statuspageKind,
  [probeKind.kind]: probeKind,
};

export const sourceKindNames = (): string[] => Object.keys(SOURCE_KINDS);

export const isSourceKind = (kind: string): boolean => Object.hasOwn(SOURCE_KINDS, kind);

export function createSource(service: Service, config: SourceConfig, deps: SourceDeps): Source {
  const kind = isSourceKind(config.kind) ? SOURCE_KINDS[config.kind] : undefined;
  if (!kind) {
    throw new Error(
      `service "${service.id}": unknown source kind "${config.kind}" ` +
        `(known: ${sourceKindNames().join(', ')})`,
    );
  }
  return kind.create(service, config, deps);
}
