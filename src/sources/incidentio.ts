import type { Logger } from 'pino';
import type { PollResult, Service, Snapshot, SourceConfig } from '../incidents/model.js';
import { ConditionalGet, unexpectedFailure } from './conditional-get.js';
import {
  mergeWidget,
  parseWidgetSummary,
  type WidgetSummary,
  widgetPageUrl,
} from './incidentio-widget.js';
import type { ParseResult } from './json-body.js';
import type { Source, SourceDeps, SourceKind } from './source.js';
import { INCIDENTS_PATH, SUMMARY_PATH, statuspageBaseUrl } from './statuspage.js';
import { buildSnapshot } from './statuspage-format.js';
import { parseIncidentsList, parseSummary } from './statuspage-schema.js';

/**
 * incident.io status pages. Each poll reads the Statuspage-compatible summary and incidents list
 * (parsed by the Statuspage code, whose schemas accept incident.io's nulls and missing keys) and
 * the widget API where the page owner enabled it (a 404 means not enabled). incident.io's summary
 * drops an incident once resolved, so resolutions are confirmed by incidents.json (rule 5). A page
 * that does not serve the compatible summary (404) is read from the widget alone; any other
 * failure of the summary fails the poll, since the widget lists no components and their absence
 * would read as every component incident being over (rule 4).
 */

export const WIDGET_PATH = '/api/v1/summary';

export class IncidentioSource implements Source {
  private readonly baseUrl: string;
  private readonly http: ConditionalGet;
  private readonly logger: Logger;
  private widgetMissing = false;

  constructor(
    readonly service: Service,
    readonly config: SourceConfig,
    private readonly deps: SourceDeps,
  ) {
    this.baseUrl = statuspageBaseUrl(config.url).replace(/\/api\/v1(\/summary)?$/, '');
    this.http = new ConditionalGet(service, deps);
    this.logger = deps.logger.child({ source: 'incidentio', url: this.baseUrl });
  }

  async poll(signal?: AbortSignal): Promise<PollResult> {
    try {
      const [summary, recent, widget] = await Promise.all([
        this.http.get(`${this.baseUrl}${SUMMARY_PATH}`, parseSummary, { signal }),
        this.http.get(`${this.baseUrl}${INCIDENTS_PATH}`, parseIncidentsList, { signal }),
        this.http.get(`${this.baseUrl}${WIDGET_PATH}`, parseWidgetSummary, { signal }),
      ]);
      this.noteWidget(widget);
      const fetchedAt = this.deps.now().toISOString();
      const base = {
        serviceId: this.service.id,
        fetchedAt,
        baseUrl: this.baseUrl,
        ...(recent.ok ? { recent: recent.value } : {}),
      };
      let snapshot: Snapshot;
      if (summary.ok) {
        snapshot = buildSnapshot({ ...base, summary: summary.value });
      } else if (widget.ok && summary.failure.status === 404) {
        const url = widgetPageUrl(widget.value) ?? null;
        snapshot = buildSnapshot({ ...base, summary: { page: { url } } });
      } else {
        return { ok: false, failure: summary.failure };
      }
      return { ok: true, snapshot: widget.ok ? mergeWidget(snapshot, widget.value) : snapshot };
    } catch (err) {
      return unexpectedFailure(err);
    }
  }

  /** A page without the widget answers 404 every poll: say so once, not every minute. */
  private noteWidget(widget: ParseResult<WidgetSummary>): void {
    const missing = !widget.ok && widget.failure.status === 404;
    if (missing && !this.widgetMissing) this.logger.info('widget API not enabled on this page');
    else if (!widget.ok && !missing) {
      this.logger.debug({ failure: widget.failure }, 'widget API unreadable');
    }
    this.widgetMissing = missing;
  }
}

export const incidentioKind: SourceKind = {
  kind: 'incidentio',
  create: (service, config, deps) => new IncidentioSource(service, config, deps),
};
