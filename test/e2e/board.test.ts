import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentInput } from '../fakes/status-page-model.js';
import type { StatusServer } from '../fakes/status-server.js';
import { launchChromium, seriousViolations, visibleText } from '../helpers/browser.js';
import { e2eScope } from '../helpers/e2e-env.js';

/**
 * The real bot process (console adapter, embedded store) on two local fake Statuspages, one with
 * an open incident and some resolved ones from the past weeks, the other unreachable; the board
 * loaded in headless Chromium. The screenshots the README shows are saved from here.
 */

const scope = e2eScope();
const TOKEN = 'board-token-0123456789';
const DOCS = resolve(import.meta.dirname, '../../docs');
const DAY = 24 * 60 * 60_000;
const MIN = 60_000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `3 Dec 2026`, as the board writes a day (UTC). */
const dayText = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};
const midnight = (ms: number) => Math.floor(ms / DAY) * DAY;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

type Step = [minutes: number, status: 'investigating' | 'identified' | 'resolved', body: string];

/** Resolved incidents in the page's history, days before now; returns when each started. */
function seedHistory(page: StatusServer, now: number) {
  // Noon of the day, so that no incident crosses midnight whenever the test runs.
  const past = (days: number, minutes: number) =>
    new Date(midnight(now - days * DAY) + 12 * 60 * MIN + minutes * MIN);
  const seed = (days: number, opening: IncidentInput, steps: Step[]) => {
    const id = page.setIncident({ ...opening, at: past(days, 0) });
    for (const [minutes, status, body] of steps) {
      page.setIncident({ id, status, body, at: past(days, minutes) });
    }
    return past(days, 0).getTime();
  };
  const majorStart = seed(
    12,
    {
      name: 'Elevated error rates for Git pushes',
      impact: 'major',
      body: 'We are investigating elevated error rates.',
      components: ['Git Operations'],
    },
    [
      [40, 'identified', 'A bad deploy was rolled back.'],
      [95, 'resolved', 'Error rates are back to normal.'],
    ],
  );
  const minorStart = seed(
    40,
    {
      name: 'Delayed webhook deliveries',
      impact: 'minor',
      body: 'Webhooks are delayed.',
      components: ['Webhooks'],
    },
    [[30, 'resolved', 'Webhooks caught up.']],
  );
  return { majorStart, minorStart };
}

async function startBoardBot(extra: Record<string, string>) {
  const acme = await scope.startAcmePage();
  acme.setComponent('Git Operations', 'operational');
  acme.setComponent('Webhooks', 'operational');
  const now = Date.now();
  const seeded = seedHistory(acme, now);
  // Today, even just after midnight: the open incident colours today's bar only.
  const today = midnight(now);
  const open = acme.setIncident({
    name: 'Degraded performance for <API> & "search"',
    impact: 'major',
    body: 'We are investigating slow API responses.',
    components: ['API'],
    componentStatus: 'degraded_performance',
    at: new Date(Math.max(now - 30 * MIN, today)),
  });
  acme.setIncident({
    id: open,
    status: 'identified',
    body: 'Cache hit rate fell below 50% & p99 > 2 s.',
    at: new Date(Math.max(now - 10 * MIN, today)),
  });
  const beta = await scope.startPage('Beta');
  beta.setComponent('Uploads', 'operational');
  beta.fail('all', 'error500');
  const env = await scope.botEnv({
    watch: true,
    services: [
      { id: 'acme', name: 'Acme Cloud', url: acme.url },
      { id: 'beta', name: 'Beta Storage', url: beta.url },
    ],
    extra,
  });
  const bot = scope.startBot(env);
  await bot.waitForLog('outage-bot started');
  const base = `http://127.0.0.1:${env.PORT}`;
  return { bot, base, acme, beta, seeded, now };
}

describe('status board', () => {
  it('shows the open incident, the 90-day bars and source health, accessibly, on desktop and phone', async () => {
    const { bot, base, seeded, now } = await startBoardBot({ BOARD_TOKEN: TOKEN });
    // No token, a wrong one: refused; the header or the query: served.
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong-token-000000`)).status).toBe(401);
    const bearer = { headers: { authorization: `Bearer ${TOKEN}` } };
    await bot.waitFor(() => bot.logs().some((l) => l.msg === 'baseline recorded'), 'a baseline');
    let html = '';
    const until = Date.now() + 60_000;
    // The board shows what the store holds: wait for both sources to have been read.
    while (Date.now() < until) {
      html = await (await fetch(`${base}/`, bearer)).text();
      if (html.includes('Degraded performance') && html.includes('unreachable')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(html).toContain('Degraded performance for &lt;API&gt; &amp; &quot;search&quot;');
    expect(html).not.toContain('<script>');
    // Only what status pages say: not the console's channel, nor anything about subscribers.
    expect(html).not.toContain('stdout');
    expect((await fetch(`${base}/services/nope`, bearer)).status).toBe(404);
    expect((await fetch(`${base}/services/beta`, bearer)).status).toBe(200);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const response = await page.goto(`${base}/?token=${TOKEN}`);
    expect(response?.status()).toBe(200);

    const acme = page.locator('section.service', {
      has: page.getByRole('heading', { name: 'Acme Cloud' }),
    });
    await expect.poll(() => visibleText(acme.locator('.state'))).toBe('Major outage');
    const incident = acme.locator('article.incident');
    expect(await visibleText(incident.locator('h4'))).toBe(
      'Degraded performance for <API> & "search"',
    );
    expect(await visibleText(incident.locator('.meta').first())).toMatch(
      /^Major impact · Identified · since \d+ \w{3} \d{2}:\d{2} UTC · affects API$/,
    );
    expect(await incident.locator('.updates li').allInnerTexts()).toEqual([
      expect.stringMatching(/ UTC Identified: Cache hit rate fell below 50% & p99 > 2 s\.$/),
      expect.stringMatching(/ UTC Investigating: We are investigating slow API responses\.$/),
    ]);
    expect(await visibleText(acme.locator('.sources li'))).toMatch(
      /^statuspage 127\.0\.0\.1:\d+: healthy, last read /,
    );
    const beta = page.locator('section.service', {
      has: page.getByRole('heading', { name: 'Beta Storage' }),
    });
    expect(await visibleText(beta.locator('.state'))).toBe('Unknown: a source cannot be read');
    expect(await visibleText(beta.locator('.sources li'))).toMatch(
      /: unreachable since the first poll$/,
    );

    // 90 bars, named by day and worst impact; today's is the open incident's.
    const bars = acme.locator('.bars a.bar');
    expect(await bars.count()).toBe(90);
    expect(await visibleText(bars.nth(89))).toBe(`${dayText(now)}: major impact, 1 incident`);
    const majorDay = acme.getByRole('link', {
      name: `${dayText(seeded.majorStart)}: major impact, 1 incident`,
    });
    const minorDay = acme.getByRole('link', {
      name: `${dayText(seeded.minorStart)}: minor impact, 1 incident`,
    });
    expect(await majorDay.count()).toBe(1);
    expect(await minorDay.count()).toBe(1);
    expect(await acme.locator('.bars rect.l-major').count()).toBe(2);
    expect(await acme.locator('.bars rect.l-minor').count()).toBe(1);
    // Days since the oldest incident the page listed are quiet, days before it have no data.
    expect(await acme.locator('.bars rect.l-ok').count()).toBe(90 - 3 - (89 - 40));

    // Keyboard: Tab reaches the bars, and a focused bar shows its day and incidents.
    await majorDay.focus();
    const tip = acme.locator('.day:focus-within .tip');
    expect(await tip.isVisible()).toBe(true);
    expect(await visibleText(tip)).toBe(
      `${dayText(seeded.majorStart)}\nElevated error rates for Git pushes (major, 1h 35m)`,
    );
    await page.keyboard.press('Tab');
    expect(await visibleText(page.locator(':focus'))).toMatch(/^\d+ \w{3} \d{4}: no incidents$/);

    const serious = await seriousViolations(page);
    expect(serious).toEqual([]);
    mkdirSync(DOCS, { recursive: true });
    await majorDay.focus();
    await page.screenshot({ path: resolve(DOCS, 'board-desktop.png'), fullPage: true });

    // The bar links to that day on the service's page, which lists the incident with its updates.
    await majorDay.press('Enter');
    await page.waitForURL(/\/services\/acme\?token=/);
    const past = page.locator('article.incident', {
      hasText: 'Elevated error rates for Git pushes',
    });
    expect(await past.locator('.updates li').allInnerTexts()).toEqual([
      expect.stringMatching(/Investigating: We are investigating elevated error rates\.$/),
      expect.stringMatching(/Identified: A bad deploy was rolled back\.$/),
      expect.stringMatching(/Resolved: Error rates are back to normal\.$/),
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();

    // A phone in dark mode: 30 days of bars, the same incident, no horizontal scrolling, and
    // axe's contrast check passes on the dark colours too.
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      colorScheme: 'dark',
    });
    const small = await phone.newPage();
    await small.goto(`${base}/?token=${TOKEN}`);
    expect(await small.evaluate('getComputedStyle(document.body).backgroundColor')).toBe(
      'rgb(13, 17, 23)',
    );
    const phoneAcme = small.locator('section.service').first();
    expect(await visibleText(phoneAcme.locator('article.incident h4'))).toBe(
      'Degraded performance for <API> & "search"',
    );
    expect(await phoneAcme.locator('.bars .day:visible').count()).toBe(30);
    expect(await visibleText(phoneAcme.locator('h3', { hasText: 'days' }))).toBe('Last 30 days');
    expect(await small.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await seriousViolations(small)).toEqual([]);
    await small.screenshot({ path: resolve(DOCS, 'board-phone.png'), fullPage: true });
    await phone.close();
  });

  it('BOARD=off serves no board', async () => {
    const { base, bot } = await startBoardBot({ BOARD: 'off' });
    await bot.waitFor(() => bot.logs().some((l) => l.msg === 'baseline recorded'), 'a baseline');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/services/acme`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
