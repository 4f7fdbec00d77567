import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../../adapters/console/console-adapter.js';
import { renderDigestText } from '../../../adapters/console/render-digest.js';
import { DeliveryWorker } from '../../../src/delivery/worker.js';
import { summarizeServiceWeek } from '../../../src/digest/build-digest.js';
import type { HistoryIncident } from '../../../src/store/history.js';
import { storePerTest } from '../../helpers/stores.js';
import { QUIET_DIGEST, SAMPLE_DIGEST, sampleDigestDelivery } from './digest-sample.js';

const CONSOLE = { platform: 'console', workspaceId: '', channelId: 'console' };
const H = 60 * 60_000;
const T0 = Date.parse('2026-12-01T00:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * H).toISOString();
const incident = (id: string, from: number, to?: number): HistoryIncident => ({
  id,
  title: `Incident ${id}`,
  impact: 'major',
  origin: 'status_page',
  components: [],
  startedAt: at(from),
  ...(to === undefined ? {} : { resolvedAt: at(to) }),
  updates: [],
});

describe('a service week', () => {
  it('clips to the period, counts overlaps once, and calls open what outlives it', () => {
    const week = summarizeServiceWeek(
      { id: 'github', name: 'GitHub' },
      [incident('before', -10, -1), incident('a', -2, 3), incident('b', 1, 2), incident('c', 160)],
      T0,
      T0 + 168 * H,
    );
    expect(week).toEqual({
      serviceId: 'github',
      serviceName: 'GitHub',
      incidents: 3,
      downtimeMs: 11 * H,
      longest: { title: 'Incident c', durationMs: 8 * H, startedAt: at(160) },
      open: [{ title: 'Incident c', durationMs: 8 * H, startedAt: at(160) }],
    });
    expect(summarizeServiceWeek({ id: 'x', name: 'X' }, [incident('old', -5, 0)], T0, T0 + H)).toBe(
      undefined,
    );
  });
});

describe('the digest on the console', () => {
  it('prints every service in full, control characters stripped', () => {
    const hostile = {
      ...SAMPLE_DIGEST,
      services: SAMPLE_DIGEST.services.map((s) => ({
        ...s,
        longest: { ...s.longest, title: 'Red \u001b[31malert\u001b[0m\nforged line' },
      })),
    };
    expect(renderDigestText(hostile)).toBe(
      [
        '┏ [digest] Weekly digest: 2026-11-30 09:00 to 2026-12-07 09:00 (Europe/Berlin)',
        '┃ GitHub: 3 incidents, 5h 20m down in total',
        '┃   Longest: Red [31malert[0m forged line <https://www.githubstatus.com/incidents/abc> (4h)',
        '┃   Still open: Webhooks <@U123> delayed (since 2026-12-07 08:00)',
        '┃ No incidents on Cloud <b>flare</b>, Discord.',
        '┗',
      ].join('\n'),
    );
    expect(renderDigestText({ ...QUIET_DIGEST, quiet: [] })).toBe(
      [
        '┏ [digest] Weekly digest: 2026-11-30 09:00 to 2026-12-07 09:00 (Europe/Berlin)',
        '┃ A quiet week: this channel follows no services.',
        '┗',
      ].join('\n'),
    );
  });
});

describe('a digest waiting in the outbox', () => {
  const { t } = storePerTest('embedded');
  const worker = (out: string[]) =>
    new DeliveryWorker({
      store: t.store,
      adapters: new Map([['console', createConsoleAdapter((text) => out.push(text))]]),
      logger: pino({ level: 'silent' }),
      now: () => new Date(),
      owner: 'w',
    });
  const setting = {
    channel: CONSOLE,
    day: 1 as const,
    hour: 9,
    timeZone: 'Europe/Berlin',
    updatedAt: '2026-11-01T00:00:00.000Z',
    updatedBy: 'U1',
  };

  it('is posted once by the worker while the channel keeps its digest on', async () => {
    await t.store.digests.put(setting);
    await t.store.enqueue([sampleDigestDelivery(CONSOLE)]);
    const out: string[] = [];
    await worker(out).drain();
    await t.store.enqueue([sampleDigestDelivery(CONSOLE)]);
    await worker(out).drain();
    expect(out).toEqual([`${renderDigestText(SAMPLE_DIGEST)}\n`]);
  });

  it('is dropped, not posted, when the channel turned its digest off meanwhile', async () => {
    await t.store.enqueue([sampleDigestDelivery(CONSOLE)]);
    const out: string[] = [];
    await worker(out).drain();
    expect(out).toEqual([]);
    expect(await t.store.pendingDeliveries()).toBe(0);
  });
});
