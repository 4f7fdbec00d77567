import { describe, expect, it } from 'vitest';
import { type ProbeTarget, startProbeTarget } from '../fakes/probe-target.js';
import { finishedPolls, readiness, waitForPolls } from '../helpers/bot-http.js';
import { countMatches } from '../helpers/bot-process.js';
import { e2eScope } from '../helpers/e2e-env.js';

/**
 * The real bot process, console adapter, one service whose only source is a probe of a local
 * server, and one local control target. The probe is in the operator's SERVICES_FILE, so it is
 * trusted and may check a loopback address with ALLOW_PRIVATE_SOURCE_URLS left at false; the
 * control targets are operator settings too. URLs use 127.0.0.1: the probe's DNS step (c-ares,
 * which knows neither /etc/hosts nor an address as a name) is skipped for IP literals.
 */

const scope = e2eScope();

/** The target's URL by address rather than by `localhost`. */
const byAddress = (target: ProbeTarget): string => target.url.replace('localhost', '127.0.0.1');

const SERVICE = 'intranet';

async function startProbedBot(store: 'embedded' | 'redis') {
  const target = scope.track(await startProbeTarget());
  const control = scope.track(await startProbeTarget());
  const url = byAddress(target);
  const env = await scope.botEnv({
    store,
    watch: true,
    services: [{ id: SERVICE, name: 'Intranet', url, sources: [{ kind: 'probe', url }] }],
    extra: {
      // A tick every second, and a failed check re-checked a second later: the test waits on
      // checks, so the shortest intervals the config allows make it fast without a tighter window.
      POLL_SCHEDULE: '* * * * * *',
      PROBE_RECHECK_MS: '1000',
      PROBE_FAILURES: '2',
      PROBE_RECOVERIES: '2',
      PROBE_CONTROL_URLS: byAddress(control),
    },
  });
  const port = env.PORT ?? '';
  const bot = scope.startBot(env);
  await bot.waitForLog('outage-bot started');
  // The first check records the baseline; two good ones, and nothing to say.
  await bot.waitFor(() => target.requests >= 2, 'two good checks', 20_000);
  expect(bot.stdout).toBe('');
  /** Waits for `more` finished polls of the probe from now. */
  const morePolls = async (more: number) =>
    waitForPolls(port, (await finishedPolls(port)) + more, 30_000);
  return { target, control, bot, port, morePolls };
}

const START =
  /^┏ \[intranet:probe:127\.0\.0\.1:\d+\] 🟠 Incident started: Intranet — 127\.0\.0\.1: connection refused$/;
const START_BODY =
  /^┃ Probe: connection refused for 127\.0\.0\.1 since \d{2}:\d{2} UTC \(2 failed checks in a row\)\.$/;
const RESOLVED = /^ {2}↳ \[intranet:probe:127\.0\.0\.1:\d+\] ✅ Resolved after /;
const RESOLVED_BODY = /127\.0\.0\.1 answers again \(HTTP 200\), 2 good checks in a row\.$/;
const EDITED = /^ {2}✎ \[intranet:probe:127\.0\.0\.1:\d+\] start message now reads: Resolved/;

describe.each(['embedded', 'redis'] as const)(
  'a probe through the real bot (%s store)',
  (store) => {
    it('a target that starts refusing connections opens one thread; restored, it is resolved once', async () => {
      const { target, bot, morePolls } = await startProbedBot(store);

      await target.refuse();
      await bot.waitFor(() => countMatches(bot.stdout, START) > 0, 'the start line', 30_000);
      // More failed checks (re-checks and ticks) on the same outage: nothing new to say.
      await morePolls(3);
      expect(countMatches(bot.stdout, START), bot.stdout).toBe(1);
      expect(countMatches(bot.stdout, START_BODY), bot.stdout).toBe(1);
      expect(countMatches(bot.stdout, /↳/), bot.stdout).toBe(0);

      await target.restore();
      await bot.waitFor(() => countMatches(bot.stdout, RESOLVED) > 0, 'the resolution', 30_000);
      const answered = target.requests;
      await bot.waitFor(() => target.requests >= answered + 2, 'two more good checks', 30_000);
      expect(countMatches(bot.stdout, START), bot.stdout).toBe(1);
      expect(countMatches(bot.stdout, RESOLVED), bot.stdout).toBe(1);
      expect(countMatches(bot.stdout, RESOLVED_BODY), bot.stdout).toBe(1);
      expect(countMatches(bot.stdout, EDITED), bot.stdout).toBe(1);
      const lines = bot.stdout.split('\n').filter((l) => l.includes(`[${SERVICE}:`));
      expect(lines, bot.stdout).toHaveLength(3);
    }, 120_000);

    it('when the control targets fail too, the bot is offline: no incident, /readyz says so, then recovers', async () => {
      const { target, control, bot, port, morePolls } = await startProbedBot(store);
      expect(await readiness(port)).toEqual({ status: 200, body: 'ready\n' });

      await control.refuse();
      await target.refuse();
      const offline = () =>
        bot.logs().filter((l) => String(l.msg).startsWith('source unreachable: probe of ')).length;
      // Twice the failure threshold of failed checks, each one the bot's own outage.
      await bot.waitFor(() => offline() >= 4, 'four offline checks', 30_000);
      const unreachable = bot.logs().find((l) => String(l.msg).startsWith('source unreachable'));
      expect(unreachable).toMatchObject({
        kind: 'offline',
        msg: `source unreachable: probe of ${byAddress(target)} failed (connection refused) while the control targets fail too`,
      });
      const ready = await readiness(port);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatch(
        /^not ready: the bot is offline \(no probe control target answers since \d{4}-\d{2}-\d{2}T[\d:.]+Z\)\n$/,
      );
      const verdicts = (msg: RegExp) => bot.logs().filter((l) => msg.test(String(l.msg))).length;
      expect(verdicts(/^the bot is offline: /)).toBe(1);
      expect(bot.stdout).toBe('');

      await control.restore();
      await target.restore();
      await bot.waitForLog('the bot is back online', 30_000);
      await morePolls(2);
      expect(await readiness(port)).toEqual({ status: 200, body: 'ready\n' });
      expect(verdicts(/^the bot is offline: /)).toBe(1);
      expect(bot.stdout).toBe('');
    }, 120_000);
  },
);
