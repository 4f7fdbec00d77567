import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { finishedPolls, waitForPolls } from '../helpers/bot-http.js';
import { countMatches } from '../helpers/bot-process.js';
import { acmeService, e2eScope, openApiIncident } from '../helpers/e2e-env.js';

/**
 * The real bot process, console adapter, polling once a minute: a status page's webhook makes
 * the change reach the chat at once instead of at the next scheduled poll. The payload is a real
 * Statuspage webhook; the bot only takes it as "look now" and reads the page itself.
 */

const scope = e2eScope();
const TOKEN = 'webhook-token-for-the-e2e-test';
const payload = readFileSync(
  new URL('../fixtures/statuspage/webhook-incident-created.json', import.meta.url),
  'utf8',
);

/** Milliseconds until the next whole minute, when the every-minute schedule polls. */
const untilNextMinute = (at: number) => 60_000 - (at % 60_000);

describe('webhook push', () => {
  it('a Statuspage webhook brings the change to the chat before the next scheduled poll', async () => {
    const page = await scope.startAcmePage();
    const env = await scope.botEnv({
      services: [acmeService(page)],
      watch: true,
      extra: { POLL_SCHEDULE: '0 * * * * *', WEBHOOK_TOKEN: TOKEN },
    });
    const port = env.PORT ?? '';
    const bot = scope.startBot(env);
    await bot.waitForLog('outage-bot started');
    // The start-up poll records the baseline; a scheduled one must not land in the window below.
    await waitForPolls(port, 1);
    if (untilNextMinute(Date.now()) < 10_000) {
      await waitForPolls(port, 2, untilNextMinute(Date.now()) + 10_000);
    }

    const id = openApiIncident(page, 'Elevated API errors', 'We are investigating.');
    const line = `┏ [acme:${id}] 🟠 Incident started: Acme Cloud — Elevated API errors`;
    const before = page.requestCount('summary');
    const pollsBefore = await finishedPolls(port);
    const sentAt = Date.now();
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/acme?token=${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: payload,
    });
    expect(res.status).toBe(202);
    await bot.waitFor(() => bot.stdout.includes(line), 'the start message');
    const arrivedAt = Date.now();

    expect(countMatches(bot.stdout, new RegExp(`^┏ \\[acme:${id}\\]`))).toBe(1);
    // The webhook's own poll brought it, not a scheduled one.
    expect(page.requestCount('summary')).toBe(before + 1);
    await waitForPolls(port, pollsBefore + 1);
    expect(await finishedPolls(port)).toBe(pollsBefore + 1);
    expect(arrivedAt - sentAt).toBeLessThan(untilNextMinute(sentAt));
    // The payload's own incident ("Database query delays") is never shown: only the page is.
    expect(bot.stdout).not.toContain('Database query delays');

    // An empty push with the token in the header works the same way.
    page.setIncident({ id, status: 'identified', body: 'A bad deploy was rolled back.' });
    const update = `  ↳ [acme:${id}] Update (Identified): A bad deploy was rolled back.`;
    const empty = await fetch(`http://127.0.0.1:${port}/webhooks/acme`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(empty.status).toBe(202);
    await bot.waitFor(() => bot.stdout.includes(update), 'the update');
    expect(page.requestCount('summary')).toBe(before + 2);
  });
});
