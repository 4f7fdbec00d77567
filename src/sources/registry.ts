import type { Service, SourceConfig } from '../incidents/model.js';
import { awsKind } from './aws.js';
import { betterstackKind } from './betterstack.js';
import { cachetKind } from './cachet.js';
import { feedKind } from './feed.js';
import { gcpKind } from './gcp.js';
import { incidentioKind } from './incidentio.js';
import { instatusKind } from './instatus.js';
import { metastatusKind } from './metastatus.js';
import { probeKind } from './probe.js';
import { reportsKind } from './reports.js';
import { slackKind } from './slack-status.js';
import type { Source, SourceDeps, SourceKind } from './source.js';
import { statusioKind } from './statusio.js';
import { statuspageKind } from './statuspage.js';

/** Every source kind the bot knows. Adding a kind means one file and one line here. */
export const SOURCE_KINDS: Record<string, SourceKind> = {
  [statuspageKind.kind]: statuspageKind,
  [incidentioKind.kind]: incidentioKind,
  [instatusKind.kind]: instatusKind,
  [betterstackKind.kind]: betterstackKind,
  [statusioKind.kind]: statusioKind,
  [cachetKind.kind]: cachetKind,
  [feedKind.kind]: feedKind,
  [gcpKind.kind]: gcpKind,
  [awsKind.kind]: awsKind,
  [slackKind.kind]: slackKind,
  [metastatusKind.kind]: metastatusKind,
  [probeKind.kind]: probeKind,
};

/**
 * Kinds the bot adds to services itself, never configured in SERVICES_FILE or the catalog: the
 * feed of user reports (`/outage report`) every service has.
 */
export const INTERNAL_SOURCE_KINDS: Record<string, SourceKind> = {
  [reportsKind.kind]: reportsKind,
};

export const sourceKindNames = (): string[] => Object.keys(SOURCE_KINDS);

export const isSourceKind = (kind: string): boolean => Object.hasOwn(SOURCE_KINDS, kind);

export function createSource(service: Service, config: SourceConfig, deps: SourceDeps): Source {
  const kind = isSourceKind(config.kind)
    ? SOURCE_KINDS[config.kind]
    : Object.hasOwn(INTERNAL_SOURCE_KINDS, config.kind)
      ? INTERNAL_SOURCE_KINDS[config.kind]
      : undefined;
  if (!kind) {
    throw new Error(
      `service "${service.id}": unknown source kind "${config.kind}" ` +
        `(known: ${sourceKindNames().join(', ')})`,
    );
  }
  return kind.create(service, config, deps);
}
