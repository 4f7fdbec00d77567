import { describe, expect, it } from 'vitest';
import {
  HISTORY_INCIDENTS_KEPT,
  HISTORY_TEXT_MAX,
  HISTORY_UPDATES_KEPT,
  type HistoryIncident,
} from '../../src/store/history.js';
import { type StoreKind, storePerTest } from '../helpers/stores.js';

const DAY = 24 * 60 * 60_000;
const RETENTION = 90 * DAY;
/** The real clock: the embedded store also sweeps by its own clock when it opens. */
const NOW = Math.floor(Date.now() / 60_000) * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const incident = (id: string, startMs: number, more: Partial<HistoryIncident> = {}) =>
  ({
    id,
    title: `Incident ${id}`,
    impact: 'minor',
    origin: 'status_page',
    components: ['API'],
    startedAt: iso(startMs),
    updates: [
      { id: `${id}-u1`, status: 'investigating', body: 'Looking into it', at: iso(startMs) },
    ],
    ...more,
  }) satisfies HistoryIncident;

/** Incident history for the status board, kept by both stores alike (src/store/history.ts). */
describe.each<StoreKind>(['embedded', 'redis', 'redis-cluster'])(
  'Store contract, incident history: %s',
  (kind) => {
    const { t } = storePerTest(kind, { historyRetentionMs: RETENTION });

    it('merges polls of one incident: updates added by id, peak impact kept, resolution recorded', async () => {
      const { history } = t.store;
      const start = NOW - 2 * 60 * 60_000;
      await history.record('github', [incident('a', start, { impact: 'major' })], NOW - DAY / 12);
      await history.record(
        'github',
        [
          incident('a', start, {
            impact: 'minor',
            components: ['Git Operations'],
            resolvedAt: iso(NOW),
            updates: [
              { id: 'a-u2', status: 'resolved', body: 'Fixed', at: iso(NOW) },
              { id: 'a-u1', status: 'investigating', body: 'Looking into it', at: iso(start) },
            ],
          }),
        ],
        NOW,
      );
      expect(await history.list('github', NOW - DAY)).toEqual([
        {
          ...incident('a', start),
          impact: 'major',
          components: ['API', 'Git Operations'],
          resolvedAt: iso(NOW),
          updates: [
            { id: 'a-u1', status: 'investigating', body: 'Looking into it', at: iso(start) },
            { id: 'a-u2', status: 'resolved', body: 'Fixed', at: iso(NOW) },
          ],
        },
      ]);
      // Another service's history is its own; a second instance (a restart) reads the same.
      expect(await history.list('cloudflare', NOW - DAY)).toEqual([]);
      expect((await t.open().history.list('github', NOW - DAY)).map((i) => i.id)).toEqual(['a']);
    });

    it('lists what was open in the window, earliest first, open incidents included', async () => {
      const { history } = t.store;
      await history.record(
        'github',
        [
          incident('open', NOW - 30 * DAY),
          incident('late', NOW - DAY, { resolvedAt: iso(NOW - DAY + 3_600_000) }),
          incident('early', NOW - 10 * DAY, { resolvedAt: iso(NOW - 9 * DAY) }),
        ],
        NOW,
      );
      const ids = async (sinceMs: number) =>
        (await history.list('github', sinceMs)).map((i) => i.id);
      expect(await ids(NOW - 90 * DAY)).toEqual(['open', 'early', 'late']);
      // `early` ended before the window: gone from it; `open` started before it but is still open.
      expect(await ids(NOW - 5 * DAY)).toEqual(['open', 'late']);
    });

    it('keeps 90 days: an incident that ended earlier is forgotten, an open one is not', async () => {
      const { history } = t.store;
      await history.record(
        'github',
        [
          incident('old', NOW - 100 * DAY, { resolvedAt: iso(NOW - 91 * DAY) }),
          incident('kept', NOW - 89 * DAY, { resolvedAt: iso(NOW - 89 * DAY + 60_000) }),
          incident('still-open', NOW - 120 * DAY),
        ],
        NOW,
      );
      const ids = (await history.list('github', 0)).map((i) => i.id);
      expect(ids).toEqual(['still-open', 'kept']);
      // A day later, `kept` is past the retention too.
      await history.record('github', [incident('still-open', NOW - 120 * DAY)], NOW + 2 * DAY);
      expect((await history.list('github', 0)).map((i) => i.id)).toEqual(['still-open']);
    });

    it('is bounded: incidents per service, updates per incident, text per update', async () => {
      const { history } = t.store;
      const many = Array.from({ length: HISTORY_INCIDENTS_KEPT + 5 }, (_, n) =>
        incident(`i${String(n).padStart(3, '0')}`, NOW - DAY + n * 1000, { resolvedAt: iso(NOW) }),
      );
      await history.record('github', many, NOW);
      const longUpdates = Array.from({ length: HISTORY_UPDATES_KEPT + 3 }, (_, n) => ({
        id: `u${n}`,
        status: 'investigating' as const,
        body: 'x'.repeat(HISTORY_TEXT_MAX + 50),
        at: iso(NOW - 1000 + n),
      }));
      await history.record('github', [incident('wordy', NOW, { updates: longUpdates })], NOW);
      const kept = await history.list('github', 0);
      expect(kept).toHaveLength(HISTORY_INCIDENTS_KEPT);
      // The earliest started went first.
      expect(kept[0]?.id).toBe('i006');
      const wordy = kept.find((i) => i.id === 'wordy');
      expect(wordy?.updates.map((u) => u.id)).toEqual(
        longUpdates.slice(-HISTORY_UPDATES_KEPT).map((u) => u.id),
      );
      expect(wordy?.updates.every((u) => u.body.length === HISTORY_TEXT_MAX)).toBe(true);
      expect(wordy?.updates[0]?.body.endsWith('…')).toBe(true);
    });
  },
);
