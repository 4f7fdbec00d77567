/**
 * A fake Atlassian Statuspage: a real node:http server on 127.0.0.1 (random port) whose state the
 * test drives. Payloads follow the recorded real ones (test/fixtures/statuspage/) field for field.
 *
 *   const page = await startStatusServer({ name: 'Acme' });
 *   // source config: { kind: 'statuspage', url: page.url }
 *   page.setComponent('API', 'operational', { group: 'Core' });
 *   const id = page.setIncident({ name: 'API errors', impact: 'major', body: 'Looking into it',
 *                                 components: ['API'], componentStatus: 'partial_outage' });
 *   page.setIncident({ id, status: 'identified', body: 'Found the cause' });  // posts an update
 *   page.resolveIncident(id, 'All good');      // also puts API back to operational
 *   page.setMaintenance({ name: 'DB upgrade', status: 'in_progress', components: ['API'] });
 *
 *   page.fail('summary', 'hang');               // or 'incidents', 'maintenances', 'all'
 *   page.fail('summary', 'status', { status: 429, retryAfter: '2', times: 1 });
 *   page.heal('summary');                       // or page.heal() for every endpoint
 *   page.requestCount('summary');  await page.waitForRequests('summary', 3);
 *   page.requests;                              // [{ endpoint, path, at, headers, status }]
 *   page.payload('summary');                    // the JSON it would serve now
 *   await page.close();
 *
 * Use one server per status page (start two for two services). The clock (`now` option) sets
 * incident and update times; pass `at` on a call to backdate one change. Files: the state in
 * status-page-model.ts, its JSON in status-page-render.ts, failures in status-server-failures.ts.
 *
 * Served: GET /api/v2/summary.json (open incidents and active maintenances only, as Statuspage
 * does), /api/v2/incidents.json (every incident, newest first, at most 50) and
 * /api/v2/scheduled-maintenances.json. Responses carry ETag and Last-Modified and answer
 * If-None-Match / If-Modified-Since with 304 (disable with `{ conditional: false }`).
 *
 * Failure modes, per endpoint, until healed (or for `times` requests):
 *   hang           accept the request, never answer
 *   error500       500 with a plain-text body
 *   status         any `status` (with optional `retryAfter` header)
 *   html           an HTML error page (`status`, default 200: the case that must be a bad body)
 *   huge           a 200 JSON-looking body of `bytes` (default 20 MB), chunked, no Content-Length
 *   huge_declared  the same with a Content-Length header
 *   truncated      the real payload cut in half (complete HTTP response, broken JSON)
 *   slow           headers and half the body at once, the rest after `delayMs` (default 30 s)
 *   delay          the whole answer after `delayMs`
 *   redirect_loop  302 back to the same path, forever
 *   reset          the connection is destroyed without an answer
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type FakeComponentStatus,
  type IncidentInput,
  type MaintenanceInput,
  StatusPageModel,
} from './status-page-model.js';
import { renderIncidents, renderMaintenances, renderSummary } from './status-page-render.js';
import { type FailureMode, type FailureOptions, serveFailure } from './status-server-failures.js';

export type {
  FakeComponentStatus,
  FakeImpact,
  FakeIncidentStatus,
  FakeMaintenanceStatus,
  IncidentInput,
  MaintenanceInput,
} from './status-page-model.js';

export type Endpoint = 'summary' | 'incidents' | 'maintenances';
export const ENDPOINT_PATHS: Record<Endpoint, string> = {
  summary: '/api/v2/summary.json',
  incidents: '/api/v2/incidents.json',
  maintenances: '/api/v2/scheduled-maintenances.json',
};

export type { FailureMode, FailureOptions } from './status-server-failures.js';

export interface RecordedRequest {
  endpoint: Endpoint | undefined;
  path: string;
  at: Date;
  headers: IncomingMessage['headers'];
  /** Status code sent, once the response has finished (undefined while hanging). */
  status?: number;
}

export interface StatusServerOptions {
  /** Page name in `page.name` (default "Fake Status"). */
  name?: string;
  /** Send ETag/Last-Modified and honour conditional requests (default true). */
  conditional?: boolean;
  /** Clock for incident and update times (default: real time). */
  now?: () => Date;
}

export interface StatusServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  setComponent(name: string, status: FakeComponentStatus, options?: { group?: string }): string;
  /** Creates an incident (no id, or an unknown id with a name) or posts an update to one. */
  setIncident(input: IncidentInput): string;
  resolveIncident(id: string, body?: string, options?: { restoreComponents?: boolean }): void;
  /** Drops an incident from every endpoint (as if it aged out of incidents.json). */
  removeIncident(id: string): void;
  setMaintenance(input: MaintenanceInput): string;
  /** Forces `status.indicator` (e.g. 'none' with an open incident, the recorded trap); null = computed. */
  setIndicator(indicator: string | null): void;
  fail(endpoint: Endpoint | 'all', mode: FailureMode | null, options?: FailureOptions): void;
  heal(endpoint?: Endpoint | 'all'): void;
  requestCount(endpoint: Endpoint): number;
  readonly requests: readonly RecordedRequest[];
  /**
   * Resolves once `endpoint` has been requested at least `count` times in total; the default
   * wait (60 s) covers a bot start-up on a loaded machine.
   */
  waitForRequests(endpoint: Endpoint, count: number, timeoutMs?: number): Promise<void>;
  /** Current JSON bodies, for assertions. */
  payload(endpoint: Endpoint): unknown;
  close(): Promise<void>;
}

const ENDPOINTS = Object.keys(ENDPOINT_PATHS) as Endpoint[];
export async function startStatusServer(options: StatusServerOptions = {}): Promise<StatusServer> {
  const now = options.now ?? (() => new Date());
  const conditional = options.conditional ?? true;
  let baseUrl = '';
  const model = new StatusPageModel(options.name ?? 'Fake Status', () => baseUrl, now);
  const failures = new Map<Endpoint, { mode: FailureMode; options: FailureOptions }>();
  const requests: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();
  const validators = new Map<Endpoint, { etag: string; lastModified: string }>();

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const render = (endpoint: Endpoint): unknown =>
    endpoint === 'summary'
      ? renderSummary(model)
      : endpoint === 'incidents'
        ? renderIncidents(model)
        : renderMaintenances(model);

  /** ETag from the body; Last-Modified moves only when the body changes. */
  const validatorsFor = (endpoint: Endpoint, body: string) => {
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    const known = validators.get(endpoint);
    if (known?.etag === etag) return known;
    const fresh = { etag, lastModified: now().toUTCString() };
    validators.set(endpoint, fresh);
    return fresh;
  };

  const serveNormally = (endpoint: Endpoint, req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.stringify(render(endpoint));
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'max-age=0, private, must-revalidate',
    };
    if (conditional) {
      const v = validatorsFor(endpoint, body);
      headers.etag = v.etag;
      headers['last-modified'] = v.lastModified;
      const inm = req.headers['if-none-match'];
      const ims = req.headers['if-modified-since'];
      const tags = inm ? inm.split(',').map((t) => t.trim().replace(/^W\//, '')) : [];
      const unchanged = inm
        ? tags.includes(v.etag) || tags.includes('*')
        : ims !== undefined && Date.parse(v.lastModified) <= Date.parse(ims);
      if (unchanged) {
        res.writeHead(304, headers).end();
        return;
      }
    }
    res.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(body)) }).end(body);
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const endpoint = ENDPOINTS.find((e) => ENDPOINT_PATHS[e] === path);
    const record: RecordedRequest = { endpoint, path, at: new Date(), headers: req.headers };
    requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    for (const wake of [...waiters]) wake();
    if (!endpoint || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
      return;
    }
    const failure = failures.get(endpoint);
    if (failure) {
      if (failure.options.times !== undefined && --failure.options.times <= 0)
        failures.delete(endpoint);
      serveFailure(failure.mode, failure.options, {
        req,
        res,
        body: () => JSON.stringify(render(endpoint)),
        serveNormally: () => serveNormally(endpoint, req, res),
        later,
        path: ENDPOINT_PATHS[endpoint],
      });
      return;
    }
    serveNormally(endpoint, req, res);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const requestCount = (endpoint: Endpoint) =>
    requests.filter((r) => r.endpoint === endpoint).length;
  const targets = (endpoint: Endpoint | 'all' | undefined) =>
    endpoint === undefined || endpoint === 'all' ? ENDPOINTS : [endpoint];

  return {
    url: baseUrl,
    requests,
    setComponent: (name, status, opts) => model.setComponent(name, status, opts?.group),
    setIncident: (input) => model.setIncident(input),
    resolveIncident: (id, body = 'This incident has been resolved.', opts) =>
      model.resolveIncident(id, body, opts?.restoreComponents ?? true),
    removeIncident: (id) => model.removeIncident(id),
    setMaintenance: (input) => model.setMaintenance(input),
    setIndicator: (indicator) => {
      model.indicatorOverride = indicator;
    },
    fail(endpoint, mode, opts = {}) {
      for (const e of targets(endpoint)) {
        if (mode === null) failures.delete(e);
        else failures.set(e, { mode, options: { ...opts } });
      }
    },
    heal(endpoint) {
      for (const e of targets(endpoint)) failures.delete(e);
    },
    requestCount,
    waitForRequests(endpoint, count, timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (requestCount(endpoint) < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `fake status page: ${requestCount(endpoint)}/${count} ${endpoint} requests after ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    payload: (endpoint) => render(endpoint),
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}
