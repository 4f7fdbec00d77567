import { type ProbeTarget, startProbeTarget } from '../fakes/probe-target.js';
import type { StatusServer } from '../fakes/status-server.js';
import type { BotProcess } from '../helpers/bot-process.js';
import type { E2eScope } from '../helpers/e2e-env.js';

/**
 * Issue 11, done-when 2, shared by the console, Slack and Discord tests: one service, Social,
 * with three feeds: its status page (a fake Statuspage), a probe of its web address and a probe
 * of its API address (the second early signal, standing in for user reports). The web probe
 * fails first, then the API probe, then the page opens an incident, then resolves it: one
 * thread, its start message edited as confidence grows (twice) and once more when it is over.
 */

export const SERVICE = 'social';
export const INCIDENT_TITLE = 'Social feed unavailable';
export const INCIDENT_BODY = 'We are investigating reports of the feed not loading.';
export const RESOLVED_BODY = 'The feed loads again for everyone.';

export interface SignalsFlow {
  page: StatusServer;
  web: ProbeTarget;
  api: ProbeTarget;
  env: Record<string, string>;
}

/** The target's URL by address: the probe's DNS step is skipped for an address literal. */
const byAddress = (target: ProbeTarget): string => target.url.replace('localhost', '127.0.0.1');

/** The fakes and the bot's settings (`extra`: a platform's, the store's). Not started yet. */
export async function signalsFlow(
  scope: E2eScope,
  opts: { store: 'embedded' | 'redis'; watch?: boolean; extra?: Record<string, string> },
): Promise<SignalsFlow> {
  const page = await scope.startPage('Social');
  const web = scope.track(await startProbeTarget());
  const api = scope.track(await startProbeTarget());
  const control = scope.track(await startProbeTarget());
  const env = await scope.botEnv({
    store: opts.store,
    watch: opts.watch ?? false,
    services: [
      {
        id: SERVICE,
        name: 'Social',
        url: page.url,
        sources: [
          { kind: 'statuspage', url: page.url },
          { kind: 'probe', url: byAddress(web) },
          { kind: 'probe', url: byAddress(api) },
        ],
      },
    ],
    extra: {
      PROBE_RECHECK_MS: '1000',
      PROBE_FAILURES: '2',
      PROBE_RECOVERIES: '2',
      PROBE_CONTROL_URLS: byAddress(control),
      ...opts.extra,
    },
  });
  return { page, web, api, env };
}

/** Waits for what the platform shows after each step. */
export interface SignalSteps {
  /** Once the bot is up: follow the service (the console follows WATCH). */
  subscribe?(): Promise<unknown>;
  started(): Promise<unknown>;
  confirmedByProbes(): Promise<unknown>;
  confirmedByProvider(): Promise<unknown>;
  resolved(): Promise<unknown>;
}

/**
 * Walks the outage: web probe fails, API probe fails, the page speaks, the page resolves. Once
 * the last step is shown, a few more polls of the page, so anything repeated would show.
 */
export async function walkSignals(flow: SignalsFlow, bot: BotProcess, wait: SignalSteps) {
  const { page, web, api } = flow;
  await bot.waitForLog('outage-bot started', 30_000);
  await wait.subscribe?.();
  // Baselines of all three feeds: the page polled twice, each probe answered twice.
  await page.waitForRequests('summary', 2, 20_000);
  await bot.waitFor(() => web.requests >= 2 && api.requests >= 2, 'two good checks each', 20_000);
  await web.refuse();
  await wait.started();
  await api.refuse();
  await wait.confirmedByProbes();
  const id = page.setIncident({ name: INCIDENT_TITLE, impact: 'major', body: INCIDENT_BODY });
  await wait.confirmedByProvider();
  page.resolveIncident(id, RESOLVED_BODY);
  await wait.resolved();
  await page.waitForRequests('summary', page.requestCount('summary') + 3, 15_000);
}
