import { type ProbeTarget, startProbeTarget } from '../fakes/probe-target.js';
import type { StatusServer } from '../fakes/status-server.js';
import type { BotProcess } from '../helpers/bot-process.js';
import type { E2eScope } from '../helpers/e2e-env.js';

/**
 * Issue 11, done-when 2, shared by the console, Slack and Discord tests: one service, Social,
 * with its status page (a fake Statuspage), a probe of its web address and a second early signal.
 * On Slack and Discord that is real user reports (`/outage report social` from five people); the
 * console has no commands, so there a probe of the service's API address stands in for them. The
 * web probe fails first, then the second signal arrives, then the page opens an incident, then
 * resolves it: one thread, its start message edited as confidence grows (twice) and once more
 * when it is over.
 */

export const SERVICE = 'social';
export const INCIDENT_TITLE = 'Social feed unavailable';
export const INCIDENT_BODY = 'We are investigating reports of the feed not loading.';
export const RESOLVED_BODY = 'The feed loads again for everyone.';
/** REPORT_THRESHOLD's default: this many distinct people open a reports incident. */
export const REPORTERS = 5;

/** What each reporter adds to `/outage report social`. */
export const REPORT_NOTE = 'the feed is blank';

/** What each reporter is told, in order: the private reply counts the others. */
export const reportReplies = (service: string): string[] =>
  Array.from({ length: REPORTERS }, (_, others) => {
    const who =
      others === 0
        ? 'Nobody else has'
        : others === 1
          ? '1 other person has'
          : `${others} other people have`;
    return [
      `Thanks, your report about ${service} is counted.`,
      `${who} reported ${service} in the last 30 min.`,
      `Your note: "${REPORT_NOTE}"`,
    ].join('\n');
  });

export interface SignalsFlow {
  page: StatusServer;
  web: ProbeTarget;
  /** The API probe: the second early signal where reports cannot be sent (the console). */
  api?: ProbeTarget;
  env: Record<string, string>;
}

/** The target's URL by address: the probe's DNS step is skipped for an address literal. */
const byAddress = (target: ProbeTarget): string => target.url.replace('localhost', '127.0.0.1');

/** The fakes and the bot's settings (`extra`: a platform's, the store's). Not started yet. */
export async function signalsFlow(
  scope: E2eScope,
  opts: {
    store: 'embedded' | 'redis';
    /** The second early signal: user reports (chat) or a probe of the API address (console). */
    second: 'reports' | 'probe';
    watch?: boolean;
    extra?: Record<string, string>;
  },
): Promise<SignalsFlow> {
  const page = await scope.startPage('Social');
  const web = scope.track(await startProbeTarget());
  const api = opts.second === 'probe' ? scope.track(await startProbeTarget()) : undefined;
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
          ...(api ? [{ kind: 'probe', url: byAddress(api) }] : []),
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
  return { page, web, ...(api ? { api } : {}), env };
}

/** Waits for what the platform shows after each step. */
export interface SignalSteps {
  /** Once the bot is up: follow the service (the console follows WATCH). */
  subscribe?(): Promise<unknown>;
  started(): Promise<unknown>;
  /** Sends the second early signal where it is not the API probe (the reports, one by one). */
  report?(): Promise<unknown>;
  confirmedBySecondSignal(): Promise<unknown>;
  confirmedByProvider(): Promise<unknown>;
  resolved(): Promise<unknown>;
}

/**
 * Walks the outage: web probe fails, the second signal (reports or the API probe), the page
 * speaks, the page resolves, the probes recover. Then a few more polls of the page, so anything
 * repeated, or posted into the resolved thread, would show.
 */
export async function walkSignals(flow: SignalsFlow, bot: BotProcess, wait: SignalSteps) {
  const { page, web, api } = flow;
  await bot.waitForLog('outage-bot started', 30_000);
  await wait.subscribe?.();
  // Baselines of every feed: the page polled twice, each probe answered twice.
  await page.waitForRequests('summary', 2, 20_000);
  const probes = api ? [web, api] : [web];
  await bot.waitFor(() => probes.every((p) => p.requests >= 2), 'two good checks each', 20_000);
  await web.refuse();
  await wait.started();
  if (api) await api.refuse();
  else if (wait.report) await wait.report();
  else
    throw new Error('walkSignals: no API probe and no report step: nothing is the second signal');
  await wait.confirmedBySecondSignal();
  const id = page.setIncident({ name: INCIDENT_TITLE, impact: 'major', body: INCIDENT_BODY });
  await wait.confirmedByProvider();
  page.resolveIncident(id, RESOLVED_BODY);
  await wait.resolved();
  // The probes answering again after the provider's resolution: nothing more in its thread.
  const checks = probes.map((p) => p.requests);
  for (const probe of probes) await probe.restore();
  await bot.waitFor(
    () => probes.every((p, i) => p.requests >= (checks[i] ?? 0) + 3),
    'three good checks of each probe after the resolution',
    20_000,
  );
  await page.waitForRequests('summary', page.requestCount('summary') + 3, 15_000);
}
