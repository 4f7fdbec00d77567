import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  instantOfLocal,
  isTimeZone,
  latestSlot,
} from '../../../src/digest/local-time.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('local time by Intl', () => {
  it.each([
    // An ordinary hour, east of UTC with a half-hour offset.
    ['Asia/Kolkata', 2026, 12, 7, 9, '2026-12-07T03:30:00.000Z'],
    // New York springs forward at 02:00: the skipped hour goes out when the clock jumps (03:00).
    ['America/New_York', 2026, 3, 8, 2, '2026-03-08T07:00:00.000Z'],
    ['Europe/Berlin', 2026, 3, 29, 2, '2026-03-29T01:00:00.000Z'],
    // New York falls back at 02:00: 01:00 happens twice, the first one counts.
    ['America/New_York', 2026, 11, 1, 1, '2026-11-01T05:00:00.000Z'],
    ['UTC', 2026, 12, 7, 0, '2026-12-07T00:00:00.000Z'],
  ])('%s %i-%i-%i %i:00 is %s', (zone, year, month, day, hour, expected) => {
    expect(iso(instantOfLocal({ year, month, day }, hour, zone))).toBe(expected);
  });

  it('finds the latest weekly slot at or before now', () => {
    const monday9 = Date.parse('2026-12-07T09:00:00.000Z');
    expect(latestSlot(monday9, 1, 9, 'UTC')).toEqual({ atMs: monday9, date: '2026-12-07' });
    expect(latestSlot(monday9 - 1, 1, 9, 'UTC')).toEqual({
      atMs: monday9 - 7 * 86_400_000,
      date: '2026-11-30',
    });
    // Sunday evening in Los Angeles is already Monday in UTC.
    expect(
      latestSlot(Date.parse('2026-12-07T03:00:00.000Z'), 7, 18, 'America/Los_Angeles'),
    ).toEqual({ atMs: Date.parse('2026-12-07T02:00:00.000Z'), date: '2026-12-06' });
  });

  it('knows IANA zones and their spelling', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
  });
});
