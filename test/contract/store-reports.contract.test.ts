import { describe, expect, it } from 'vitest';
import {
  HOUR_MS,
  REPORT_TEXTS_KEPT,
  type ReportLimits,
  type UserReport,
} from '../../src/store/reports.js';
import { type StoreKind, storePerTest } from '../helpers/stores.js';
import { T0 } from './store-fixtures.js';

const MIN = 60_000;
const LIMITS: ReportLimits = {
  dedupMs: 10 * MIN,
  perUser: { max: 3, windowMs: HOUR_MS },
  perChannel: { max: 5, windowMs: 10 * MIN },
};
/** An hour boundary, so that hour-of-week arithmetic in the tests is plain. */
const START = Math.floor(T0.getTime() / HOUR_MS) * HOUR_MS;

const report = (who: string, atMs: number, more: Partial<UserReport> = {}): UserReport => ({
  serviceId: 'instagram',
  reporterId: `slack:T1:${who}`,
  channel: `slack:T1:C${who}`,
  at: atMs,
  text: `broken for ${who}`,
  ...more,
});

/** User reports kept by both stores alike (src/store/reports.ts). */
describe.each<StoreKind>(['embedded', 'redis', 'redis-cluster'])(
  'Store contract, user reports: %s',
  (kind) => {
    const { store } = storePerTest(kind);

    it('counts distinct reporters in a window; a repeat within the dedup window is a duplicate', async () => {
      const { reports } = store;
      expect(await reports.record(report('U1', START), LIMITS)).toBe('counted');
      expect(await reports.record(report('U1', START + 2 * MIN), LIMITS)).toBe('duplicate');
      expect(await reports.record(report('U2', START + 3 * MIN), LIMITS)).toBe('counted');
      // The same user id in another workspace is another person.
      const otherWorkspace = report('U1', START + 4 * MIN, { reporterId: 'discord:G9:U1' });
      expect(await reports.record(otherWorkspace, LIMITS)).toBe('counted');
      expect(await reports.countReporters('instagram', START, START + 10 * MIN)).toBe(3);
      expect(
        await reports.countReporters('instagram', START, START + 10 * MIN, 'slack:T1:U1'),
      ).toBe(2);
      // U1's latest report (minute 2) is what places them in time.
      expect(await reports.countReporters('instagram', START + MIN, START + 10 * MIN)).toBe(3);
      expect(await reports.countReporters('instagram', START + 3 * MIN, START + 10 * MIN)).toBe(2);
      expect(await reports.countReporters('facebook', START, START + 10 * MIN)).toBe(0);
      // Past the dedup window the same person counts again (once: distinct people).
      expect(await reports.record(report('U1', START + 13 * MIN), LIMITS)).toBe('counted');
      expect(await reports.countReporters('instagram', START, START + 20 * MIN)).toBe(3);
      expect(await reports.reportedSince(START)).toEqual(['instagram']);
      expect(await reports.reportedSince(START + 14 * MIN)).toEqual([]);
    });

    it('limits reports per user and per channel, and a limited report leaves no trace', async () => {
      const { reports } = store;
      const services = ['a', 'b', 'c', 'd'];
      const outcomes = [];
      for (const [i, serviceId] of services.entries()) {
        outcomes.push(await reports.record(report('U1', START + i * MIN, { serviceId }), LIMITS));
      }
      expect(outcomes).toEqual(['counted', 'counted', 'counted', 'user_limited']);
      expect(await reports.countReporters('d', START, START + HOUR_MS)).toBe(0);
      expect((await reports.recent('d', 10)).length).toBe(0);
      // The next hour, the user may report again.
      const nextHour = report('U1', START + HOUR_MS, { serviceId: 'd' });
      expect(await reports.record(nextHour, LIMITS)).toBe('counted');

      const channelOutcomes = [];
      for (let i = 0; i < 6; i++) {
        const from = report(`V${i}`, START + 2 * HOUR_MS + i * 1000, { channel: 'slack:T1:CBUSY' });
        channelOutcomes.push(await reports.record(from, LIMITS));
      }
      expect(channelOutcomes).toEqual([...new Array(5).fill('counted'), 'channel_limited']);
      expect(
        await reports.countReporters('instagram', START + 2 * HOUR_MS, START + 3 * HOUR_MS),
      ).toBe(5);
    });

    it('keeps the latest texts, newest first, bounded', async () => {
      const { reports } = store;
      const many = { ...LIMITS, perChannel: { max: 1000, windowMs: MIN } };
      for (let i = 0; i < REPORT_TEXTS_KEPT + 5; i++) {
        await reports.record(report(`U${i}`, START + i, { channel: 'slack:T1:C1' }), many);
      }
      const recent = await reports.recent('instagram', 3);
      expect(recent).toEqual([
        {
          reporterId: 'slack:T1:U54',
          channel: 'slack:T1:C1',
          at: START + 54,
          text: 'broken for U54',
        },
        {
          reporterId: 'slack:T1:U53',
          channel: 'slack:T1:C1',
          at: START + 53,
          text: 'broken for U53',
        },
        {
          reporterId: 'slack:T1:U52',
          channel: 'slack:T1:C1',
          at: START + 52,
          text: 'broken for U52',
        },
      ]);
      expect(await reports.recent('instagram', 1000)).toHaveLength(REPORT_TEXTS_KEPT);
    });

    it('learns a per-hour-of-week level from counted reports, decaying, with no history at first', async () => {
      const { reports } = store;
      const many = { ...LIMITS, perUser: { max: 1000, windowMs: MIN } };
      expect(await reports.level('instagram', START)).toEqual({});
      // Week 1: six people in the first hour, nobody after; duplicates do not count.
      for (let i = 0; i < 6; i++) await reports.record(report(`U${i}`, START + i * MIN), many);
      await reports.record(report('U0', START + 7 * MIN), many);
      expect(await reports.level('instagram', START + 30 * MIN)).toEqual({});
      // A day on, the first hour has a history of one week; the same hour a day later has none.
      expect(await reports.level('instagram', START + 24 * HOUR_MS)).toEqual({});
      const week = 168 * HOUR_MS;
      expect(await reports.level('instagram', START + week)).toEqual({ perHour: 6 });
      expect(await reports.level('instagram', START + week + HOUR_MS)).toEqual({ perHour: 0 });
      // Week 2 at that hour is quiet: the level decays toward it instead of forgetting at once.
      const decayed = await reports.level('instagram', START + 2 * week);
      expect(decayed.perHour).toBeCloseTo((6 * 0.75) / (0.75 + 1), 6);
      // Reading again changes nothing.
      expect(await reports.level('instagram', START + 2 * week)).toEqual(decayed);
    });
  },
);
