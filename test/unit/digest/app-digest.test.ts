import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { PLATFORMS, platformConfig } from '../../../adapters/registry.js';
import { startApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { CONSOLE_CHANNEL } from '../../../src/console-feed.js';
import { SimClock } from '../../../src/replay/sim-clock.js';
import { SqliteStore } from '../../../src/store/embedded/sqlite-store.js';

const logger = pino({ level: 'silent' });
const SLOT = Date.parse('2026-12-07T08:00:00.000Z');

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/** Runs the simulated clock until `untilMs`, letting the in-process work of each moment finish. */
async function runUntil(clock: SimClock, untilMs: number): Promise<void> {
  while ((clock.nextAt() ?? Number.POSITIVE_INFINITY) <= untilMs) {
    clock.runNext();
    for (let turn = 0; turn < 20; turn++) await new Promise((r) => setImmediate(r));
  }
}

describe('the bot wires the weekly digest', () => {
  it('prints the console channel its digest once, on the simulated clock, through the outbox', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'outage-bot-digest-'));
    // The setting, as `/outage digest weekly mon 9 Europe/Berlin` stores it, made beforehand.
    const setup = new SqliteStore({ dataDir, logger });
    await setup.digests.put({
      channel: CONSOLE_CHANNEL,
      day: 1,
      hour: 9,
      timeZone: 'Europe/Berlin',
      updatedAt: '2026-12-01T00:00:00.000Z',
      updatedBy: 'operator',
    });
    await setup.close();
    const clock = new SimClock(SLOT - 20 * 60_000);
    const out: string[] = [];
    const config = loadConfig(
      { DATA_DIR: dataDir, WATCH: 'github', POLL_SCHEDULE: '*/10 * * * *' },
      platformConfig(PLATFORMS),
    );
    const app = await startApp({
      config,
      platforms: PLATFORMS,
      logger,
      // The status page is unreachable: polls change nothing (rule 4).
      fetch: async () => {
        throw new Error('offline');
      },
      now: () => clock.date(),
      readFile: async () => '',
      writeOut: (text) => out.push(text),
      instanceId: 'digest-app-test',
      timers: clock,
      listen: false,
    });
    cleanup = async () => {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
    await runUntil(clock, SLOT + 40 * 60_000);
    expect(out).toEqual([
      [
        '┏ [digest] Weekly digest: 2026-11-30 09:00 to 2026-12-07 09:00 (Europe/Berlin)',
        '┃ A quiet week: no incidents on GitHub.',
        '┗\n',
      ].join('\n'),
    ]);
  });
});
