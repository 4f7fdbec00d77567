import { describe, expect, it } from 'vitest';
import { countMatches } from '../helpers/bot-process.js';
import { acmeService, e2eScope, openApiIncident } from '../helpers/e2e-env.js';

/**
 * The real bot process, console adapter, against a fake Statuspage: one incident walked through
 * investigating, identified and resolved, with a SIGKILL in the middle and the resolution
 * happening while the bot is down.
 */

const scope = e2eScope();

describe.each(['embedded', 'redis'] as const)('one incident end to end (%s store)', (store) => {
  it('posts one start, each update once and one resolution, across a SIGKILL', async () => {
    const page = await scope.startAcmePage();
    const env = await scope.botEnv({ store, services: [acmeService(page)], watch: true });

    let bot = scope.startBot(env);
    await bot.waitForLog('outage-bot started');
    expect(
      bot.logs().some((l) => l.msg === `using ${store === 'redis' ? 'redis' : 'embedded'} store`),
    ).toBe(true);
    // Two polls in: the first one's baseline is recorded before the incident appears.
    await page.waitForRequests('summary', 2);

    const id = openApiIncident(
      page,
      'Elevated API errors',
      'We are investigating elevated error rates.',
    );
    const tag = `[acme:${id}]`;
    await bot.waitFor(() => bot.stdout.includes(`┏ ${tag}`), 'the start message');
    expect(bot.stdout).toContain(`┏ ${tag} 🟠 Incident started: Acme Cloud — Elevated API errors`);
    expect(bot.stdout).toContain('┃ Components: API');
    expect(bot.stdout).toContain('┃ We are investigating elevated error rates.');

    page.setIncident({
      id,
      status: 'identified',
      body: 'A bad deploy was identified and is being rolled back.',
    });
    const identified = `  ↳ ${tag} Update (Identified): A bad deploy was identified and is being rolled back.`;
    await bot.waitFor(() => bot.stdout.includes(identified), 'the identified update');
    // Killed once the update is recorded as printed: a kill between the print and the record
    // prints it again after a notice (test/unit/console/console-crash.test.ts), which this test
    // must not count as a repeat.
    await bot.waitFor(
      () => bot.logs().some((l) => l.msg === 'delivered' && l.event === 'updated'),
      'the identified update recorded as delivered',
    );
    const firstRun = bot.stdout;

    await bot.kill('SIGKILL');
    page.resolveIncident(id, 'Error rates are back to normal.');

    bot = scope.startBot(env);
    await bot.waitFor(
      () => bot.stdout.includes(`${tag} ✅ Resolved`),
      'the resolution after restart',
    );
    // Let it poll a few more times: nothing may be repeated.
    const settled = page.requestCount('summary');
    await page.waitForRequests('summary', settled + 3);
    await bot.waitFor(() => bot.stdout.includes('✎'), 'the root edit');
    const all = firstRun + bot.stdout;

    expect(countMatches(all, new RegExp(`^┏ \\[acme:${id}\\]`))).toBe(1);
    expect(countMatches(all, /Update \(Identified\)/)).toBe(1);
    expect(countMatches(all, new RegExp(`^  ↳ \\[acme:${id}\\] ✅ Resolved after \\d`))).toBe(1);
    expect(all).toContain(`${tag} ✅ Resolved after`);
    expect(all).toContain(': Error rates are back to normal.');
    expect(
      countMatches(all, new RegExp(`^  ✎ \\[acme:${id}\\] start message now reads: Resolved`)),
    ).toBe(1);
    // The restarted bot printed only the resolution and the edit.
    expect(countMatches(bot.stdout, /^\S|^ {2}\S/)).toBe(2);
  });
});

describe('an incident already open when the bot first looks', () => {
  it('is shown once at the baseline, not again after a restart, and resolves in its thread', async () => {
    const page = await scope.startAcmePage();
    const id = openApiIncident(page, 'Already burning', 'Investigating since before the bot.');
    const env = await scope.botEnv({
      store: 'embedded',
      services: [acmeService(page)],
      watch: true,
    });
    const tag = `[acme:${id}]`;

    let bot = scope.startBot(env);
    await bot.waitFor(() => bot.stdout.includes(`┏ ${tag}`), 'the start shown at the baseline');
    expect(bot.stdout).toContain(`┏ ${tag} 🟠 Incident started: Acme Cloud — Already burning`);
    await bot.waitForLog('delivered');
    const firstRun = bot.stdout;
    await bot.kill('SIGKILL');

    bot = scope.startBot(env);
    const polled = page.requestCount('summary');
    await page.waitForRequests('summary', polled + 3);
    expect(bot.stdout).toBe('');
    page.resolveIncident(id, 'Fixed.');
    await bot.waitFor(() => bot.stdout.includes(`${tag} ✅ Resolved`), 'the resolution');
    expect(countMatches(firstRun + bot.stdout, /^┏ /)).toBe(1);
  });
});

describe('broken sources', () => {
  it('leave the bot up, the other services polled on schedule, and no incident invented or resolved', async () => {
    const modes = ['hang', 'error500', 'html', 'huge', 'truncated'] as const;
    const healthy = await scope.startPage('Healthy');
    const broken = await Promise.all(modes.map((mode) => scope.startPage(`Broken ${mode}`)));
    const openIds = broken.map((page) =>
      page.setIncident({
        name: 'Already open before the bot',
        impact: 'minor',
        body: 'Investigating.',
      }),
    );
    const env = await scope.botEnv({
      services: [
        { id: 'healthy', name: 'Healthy', url: healthy.url },
        ...modes.map((mode, i) => ({
          id: `broken-${mode}`,
          name: `Broken ${mode}`,
          url: broken[i]?.url ?? '',
        })),
      ],
      watch: true,
    });
    const bot = scope.startBot(env);
    await bot.waitForLog('outage-bot started');
    const baselined = (id: string) =>
      bot.logs().some((l) => l.msg === 'baseline recorded' && l.poll === id);
    await bot.waitFor(
      () => ['healthy', ...modes.map((mode) => `broken-${mode}`)].every(baselined),
      'a baseline of every service',
    );
    // Baseline taken everywhere; now every broken page breaks in its own way, and dropped its incident.
    modes.forEach((mode, i) => {
      const page = broken[i];
      page?.fail('all', mode, mode === 'huge' ? { bytes: 20 * 1024 * 1024 } : undefined);
      page?.resolveIncident(openIds[i] ?? '', 'resolved while the feed is broken');
    });

    const before = healthy.requestCount('summary');
    await healthy.waitForRequests('summary', before + 4, 10_000);
    const id = healthy.setIncident({
      name: 'Real outage elsewhere',
      impact: 'critical',
      body: 'Down.',
    });
    await bot.waitFor(
      () => bot.stdout.includes(`┏ [healthy:${id}]`),
      'the healthy service incident',
    );

    for (const mode of modes) {
      await bot.waitFor(
        () =>
          bot
            .logs()
            .some(
              (l) =>
                String(l.msg).startsWith('source unreachable') &&
                String(l.poll) === `broken-${mode}`,
            ),
        `an unreachable log for broken-${mode}`,
      );
    }
    const kinds = Object.fromEntries(
      bot
        .logs()
        .filter((l) => String(l.msg).startsWith('source unreachable'))
        .map((l) => [String(l.poll), l.kind]),
    );
    expect(kinds).toEqual({
      'broken-hang': 'timeout',
      'broken-error500': 'http_status',
      'broken-html': 'bad_body',
      'broken-huge': 'too_large',
      'broken-truncated': 'bad_body',
    });
    expect(bot.running).toBe(true);
    // Each broken page's incident was shown once at the baseline; the broken feeds then neither
    // resolved it nor invented anything.
    for (const mode of modes)
      expect(countMatches(bot.stdout, new RegExp(`^┏ \\[broken-${mode}:`))).toBe(1);
    expect(countMatches(bot.stdout, /^ {2}[↳✎] \[broken-/)).toBe(0);
    expect(countMatches(bot.stdout, /^┏ /)).toBe(modes.length + 1);
  });
});
