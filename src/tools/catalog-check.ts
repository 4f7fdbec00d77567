import type { Service } from '../incidents/model.js';
import { type DetectGet, detectSource } from '../sources/detect.js';

export interface CatalogCheckRow {
  id: string;
  expected: string;
  detected: string;
  /** HTTP status of the status page itself (or of the probed address); 0 when unreachable. */
  status: number;
  ms: number;
  ok: boolean;
}

export interface CatalogCheckDeps {
  get: DetectGet;
  now: () => number;
  concurrency?: number;
}

/**
 * Asks every catalog entry's page what kind it is today, as `/outage subscribe <url>` would, and
 * compares with the kind the catalog expects. Entries read only by probe are checked for an
 * answer from their address. Rows come back in catalog order.
 */
export async function checkCatalog(
  services: readonly Service[],
  deps: CatalogCheckDeps,
): Promise<CatalogCheckRow[]> {
  const rows: CatalogCheckRow[] = new Array(services.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < services.length; i = next++) {
      const service = services[i];
      if (service) rows[i] = await checkOne(service, deps);
    }
  };
  await Promise.all(Array.from({ length: deps.concurrency ?? 8 }, worker));
  return rows;
}

async function checkOne(service: Service, deps: CatalogCheckDeps): Promise<CatalogCheckRow> {
  const started = deps.now();
  const primary = service.sources.find((s) => s.kind !== 'probe') ?? service.sources[0];
  const expected = primary?.kind ?? 'none';
  const pageUrl = service.pageUrl ?? primary?.url;
  if (!pageUrl || expected === 'probe') {
    const res = primary ? await deps.get(primary.url) : undefined;
    const status = res?.ok ? res.status : 0;
    const ok = status > 0 && status < 500;
    return row(
      service.id,
      expected,
      ok ? 'probe answers' : 'unreachable',
      status,
      started,
      ok,
      deps,
    );
  }
  const [page, found] = await Promise.all([deps.get(pageUrl), detectSource(pageUrl, deps.get)]);
  const status = page.ok ? page.status : 0;
  const detected = found.ok ? found.source.kind : 'unknown';
  const ok = detected === expected || !isDetectable(expected);
  return row(service.id, expected, detected, status, started, ok, deps);
}

/** Cloud feeds and metastatus have fixed addresses the detector does not look for. */
const isDetectable = (kind: string): boolean =>
  ['statuspage', 'incidentio', 'instatus', 'betterstack', 'statusio', 'cachet'].includes(kind);

const row = (
  id: string,
  expected: string,
  detected: string,
  status: number,
  started: number,
  ok: boolean,
  deps: CatalogCheckDeps,
): CatalogCheckRow => ({ id, expected, detected, status, ms: deps.now() - started, ok });

/** A plain-text table, one line per entry, mismatches marked. */
export function formatCatalogCheck(rows: readonly CatalogCheckRow[]): string {
  const header = ['entry', 'expected', 'detected', 'HTTP', 'ms', ''];
  const lines = rows.map((r) => [
    r.id,
    r.expected,
    r.detected,
    r.status === 0 ? '-' : String(r.status),
    String(r.ms),
    r.ok ? '' : 'MISMATCH',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]?.length ?? 0)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const bad = rows.filter((r) => !r.ok).length;
  return [fmt(header), ...lines.map(fmt), '', `${rows.length} entries, ${bad} mismatched`].join(
    '\n',
  );
}
