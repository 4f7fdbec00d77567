import { describe, expect, it } from 'vitest';
import type { StatusServer } from '../fakes/status-server.js';
import { countMatches } from '../helpers/bot-process.js';
import { e2eScope } from '../helpers/e2e-env.js';

/**
 * Issue 11, Done-when 3 on the console: the real bot process against five fake status pages.
 * Four services start within the window and read as one grouped thread, across a SIGKILL in the
 * middle of the group; a fifth starting after the window gets a thread of its own; recoveries go
 * to the group's thread and its root ends up saying it is over.
 */

const scope = e2eScope();
const WINDOW_MS = 30_000;
const NAMES = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Echo'] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const asPattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.each(['embedded', 'redis'] as const)(
  'grouped outages on the console (%s store)',
  (store) => {
    it('shows four services starting together as one thread, across a restart, and a fifth apart', async () => {
      const pages = new Map<string, StatusServer>();
      for (const name of NAMES) pages.set(name, await scope.startPage(name));
      const page = (name: (typeof NAMES)[number]) => pages.get(name) as StatusServer;
      const env = await scope.botEnv({
        store,
        services: NAMES.map((name) => ({ id: name.toLowerCase(), name, url: page(name).url })),
        watch: true,
        extra: { GROUP_WINDOW_MS: String(WINDOW_MS), GROUP_MIN_SERVICES: '3' },
      });
      let bot = scope.startBot(env);
      await bot.waitForLog('outage-bot started', 30_000);
      await Promise.all(NAMES.map((name) => page(name).waitForRequests('summary', 2, 15_000)));

      const opened = Date.now();
      const ids = new Map<string, string>();
      const open = (name: (typeof NAMES)[number]) =>
        ids.set(
          name,
          page(name).setIncident({
            name: `${name} is down`,
            impact: 'major',
            body: 'Looking into it.',
          }),
        );
      for (const name of ['Alpha', 'Beta', 'Gamma'] as const) open(name);

      const delivered = () => bot.logs().filter((l) => l.msg === 'delivered').length;
      await bot.waitFor(
        () =>
          bot.stdout.includes('start message now reads: 3 services down at once') &&
          delivered() >= 3,
        'the group of three, delivered',
        30_000,
      );
      const roots = bot.stdout.split('\n').filter((l) => l.startsWith('┏ '));
      expect(roots).toHaveLength(1);
      const rootName = NAMES.find((n) => roots[0]?.includes(`: ${n} — ${n} is down`));
      expect(rootName).toBeDefined();
      const tag = `[${rootName?.toLowerCase()}:${ids.get(rootName ?? '')}]`;
      expect(roots[0]).toBe(`┏ ${tag} 🟠 Incident started: ${rootName} — ${rootName} is down`);

      // Killed mid-group; the fourth service starts while the bot is down.
      await bot.kill('SIGKILL');
      const firstRun = bot.stdout;
      open('Delta');
      bot = scope.startBot(env);
      await bot.waitFor(
        () => bot.stdout.includes('start message now reads: 4 services down at once'),
        'the fourth service joining the group after the restart',
        30_000,
      );

      // After the window: a start of its own.
      await sleep(Math.max(0, opened + WINDOW_MS + 5_000 - Date.now()));
      open('Echo');
      await bot.waitFor(
        () => bot.stdout.includes('┏ [echo:'),
        'the fifth service on its own',
        20_000,
      );

      for (const name of ['Alpha', 'Beta', 'Gamma', 'Delta'] as const) {
        page(name).resolveIncident(ids.get(name) ?? '', `${name} is fixed.`);
      }
      await bot.waitFor(
        () => bot.stdout.includes('start message now reads: Over: 4 services were down at once'),
        'the group over',
        30_000,
      );
      // A few more polls: anything lost or repeated would show now.
      const polled = page('Alpha').requestCount('summary');
      await page('Alpha').waitForRequests('summary', polled + 3, 15_000);

      const all = firstRun + bot.stdout;
      expect(countMatches(all, /^┏ /)).toBe(2);
      expect(all).toContain(`┏ [echo:${ids.get('Echo')}] 🟠 Incident started: Echo — Echo is down`);
      for (const name of ['Alpha', 'Beta', 'Gamma', 'Delta'] as const) {
        const started = new RegExp(
          `^  ↳ ${asPattern(tag)} ${name}: 🟠 Incident started — ${name} is down: Looking into it\\.$`,
        );
        expect(countMatches(all, started), `${name} started`).toBe(name === rootName ? 0 : 1);
        const resolved = new RegExp(
          `^  ↳ ${asPattern(tag)} ${name}: ✅ Resolved after .+: ${name} is fixed\\.$`,
        );
        expect(countMatches(all, resolved), `${name} resolved`).toBe(1);
      }
      // Nothing of the group went anywhere but its thread, and Echo's stayed in its own.
      const lines = all.split('\n').filter((l) => /^ {2}[↳✎] /.test(l));
      for (const line of lines) {
        expect(line.startsWith(`  ↳ ${tag} `) || line.startsWith(`  ✎ ${tag} `), line).toBe(true);
      }
      const edits = lines.filter((l) => l.startsWith('  ✎ '));
      expect(edits.at(-1)).toMatch(
        new RegExp(
          `^  ✎ ${asPattern(tag)} start message now reads: Over: 4 services were down at once \\(lasted .+\\) — ✅ ${rootName}: ${rootName} is down \\(recovered\\) · `,
        ),
      );
      expect(edits.at(-1)?.match(/✅ \w+: \w+ is down \(recovered\)/g)).toHaveLength(4);
    }, 180_000);
  },
);
