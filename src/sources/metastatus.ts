import { z } from 'zod';
import type {
  Component,
  ComponentStatus,
  Impact,
  Incident,
  PollResult,
  Service,
  SourceConfig,
} from '../incidents/model.js';
import { ConditionalGet, unexpectedFailure } from './conditional-get.js';
import { parseJsonBody } from './json-body.js';
import { toPlainText } from './plain-text.js';
import type { Source, SourceDeps, SourceKind } from './source.js';
import { epochOrDateToIso, shortHash } from './values.js';

/**
 * Meta's metastatus.com for one organisation (Graph API, WhatsApp Business Platform, ...): its
 * services and their statuses from `/data/orgs.json`, its open outages from
 * `/data/outages/<org>.json`. No real payload is publicly recorded (source-formats.md section
 * 13), so every field is optional, unknown ones are ignored, and statuses are free text read by
 * substring. The outage list holds open events only: resolutions are not known.
 */

const id = z.union([z.string().min(1), z.number()]).transform(String);
const when = z.union([z.string(), z.number()]).nullish();

const org = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  services: z
    .array(z.looseObject({ id, name: z.string().nullish(), status: z.string().nullish() }))
    .nullish(),
});

const outage = z.looseObject({
  id,
  service_id: id.nullish(),
  status: z.string().nullish(),
  time: when,
  posts: z
    .array(
      z.looseObject({
        status: z.string().nullish(),
        description: z.string().nullish(),
        time: when,
      }),
    )
    .nullish(),
});

type Org = z.infer<typeof org>;
type Outage = z.infer<typeof outage>;

const isClear = (status: string) => /no known issues|resolved|operational/i.test(status);
const isMajor = (status: string) => /high|major|outage/i.test(status);

const componentStatus = (status: string | null | undefined): ComponentStatus =>
  !status || isClear(status)
    ? 'operational'
    : isMajor(status)
      ? 'major_outage'
      : 'degraded_performance';

const impactOf = (status: string): Impact =>
  /major outage/i.test(status) ? 'critical' : isMajor(status) ? 'major' : 'minor';

/** `https://metastatus.com/whatsapp-business-api` -> origin and organisation id. */
export function metastatusTarget(url: string): { origin: string; org: string } {
  const parsed = new URL(url);
  const orgId = parsed.pathname.split('/').filter(Boolean).at(-1);
  if (!orgId || !/^[a-z0-9-]+$/i.test(orgId)) {
    throw new Error(
      `metastatus source needs the organisation in its URL, like https://metastatus.com/whatsapp-business-api (got ${url})`,
    );
  }
  return { origin: parsed.origin, org: orgId };
}

function toIncident(
  raw: Outage,
  names: Map<string, string>,
  pageUrl: string,
  fetchedAt: string,
): Incident {
  const service = (raw.service_id && names.get(raw.service_id)) || 'Meta platform';
  const status = raw.status ?? '';
  const resolved = /resolved/i.test(status);
  const startedAt = epochOrDateToIso(raw.time ?? undefined) ?? fetchedAt;
  const updates = (raw.posts ?? [])
    .map((p) => {
      const at = epochOrDateToIso(p.time ?? undefined) ?? startedAt;
      const body = toPlainText(p.description ?? '');
      const own = /resolved/i.test(p.status ?? '')
        ? ('resolved' as const)
        : ('investigating' as const);
      return { id: `${at}:${shortHash(body)}`, status: own, body, at };
    })
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const built: Incident = {
    id: raw.id,
    title: status && !resolved ? `${service}: ${status}` : service,
    status: resolved ? 'resolved' : 'investigating',
    impact: impactOf(status),
    components: [service],
    updates,
    startedAt,
    url: pageUrl,
    origin: 'status_page',
  };
  if (resolved) built.resolvedAt = updates.at(-1)?.at ?? fetchedAt;
  return built;
}

export class MetastatusSource implements Source {
  private readonly http: ConditionalGet;
  private readonly target: { origin: string; org: string };

  constructor(
    readonly service: Service,
    readonly config: SourceConfig,
    private readonly deps: SourceDeps,
  ) {
    this.target = metastatusTarget(config.url);
    this.http = new ConditionalGet(service, deps);
  }

  async poll(signal?: AbortSignal): Promise<PollResult> {
    try {
      const { origin, org: orgId } = this.target;
      const options = { accept: 'application/json', signal };
      const [orgs, outages] = await Promise.all([
        this.http.get(
          `${origin}/data/orgs.json`,
          (b) => parseJsonBody(b, z.array(org), 'orgs.json'),
          options,
        ),
        this.http.get(
          `${origin}/data/outages/${orgId}.json`,
          (b) => parseJsonBody(b, z.array(outage), `outages/${orgId}.json`),
          options,
        ),
      ]);
      if (!orgs.ok) return orgs;
      if (!outages.ok) return outages;
      const own: Org | undefined = orgs.value.find((o) => o.id === orgId);
      const names = new Map((own?.services ?? []).map((s) => [s.id, s.name ?? s.id]));
      const pageUrl = `${origin}/${orgId}`;
      const fetchedAt = this.deps.now().toISOString();
      const components: Component[] = (own?.services ?? []).map((s) => ({
        id: s.id,
        name: s.name ?? s.id,
        status: componentStatus(s.status),
        ...(own?.name ? { group: own.name } : {}),
      }));
      return {
        ok: true,
        snapshot: {
          serviceId: this.service.id,
          fetchedAt,
          incidents: outages.value.map((o) => toIncident(o, names, pageUrl, fetchedAt)),
          maintenances: [],
          components,
          resolutionsKnown: false,
          pageUrl,
        },
      };
    } catch (err) {
      return unexpectedFailure(err);
    }
  }
}

export const metastatusKind: SourceKind = {
  kind: 'metastatus',
  create: (service, config, deps) => new MetastatusSource(service, config, deps),
};
