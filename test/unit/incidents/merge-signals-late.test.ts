import { describe, expect, it } from 'vitest';
import type { IncidentEvent, IncidentEventType } from '../../../src/incidents/model.js';
import { signalStarts } from '../../../src/incidents/signal-thread.js';
import { mayPing } from '../../../src/incidents/thread-rules.js';
import {
  at,
  type Feed,
  feedEvent,
  line,
  OFFICIAL_START,
  PROBE_START,
  REPORTS_START,
  run,
} from './merge-signals-fixture.js';

describe('signals of one service merged into one incident', () => {
  describe('early signals still failing when the provider resolves', () => {
    const PAGE_RESOLVED = feedEvent('page', 'resolved', 'outage-77', 100, 'Fixed.', {
      title: 'Facebook apps unavailable',
    });
    const outage: Array<[Feed, number, IncidentEvent[]]> = [
      ['probe', 2, [PROBE_START]],
      ['reports', 6, [REPORTS_START]],
      ['page', 50, [OFFICIAL_START]],
      ['page', 100, [PAGE_RESOLVED]],
    ];
    const probeEvent = (type: IncidentEventType, minute: number, body: string) =>
      feedEvent('probe', type, 'probe:facebook.com:1', minute, body);
    const reportsResolved = (minute: number) =>
      feedEvent('reports', 'resolved', 'reports:1', minute, 'Reports are back to normal.');

    it('post nothing more in the resolved thread while within the window', () => {
      const { out, state } = run([
        ...outage,
        ['probe', 110, [probeEvent('updated', 110, 'Probe: now HTTP 503 for facebook.com.')]],
        ['reports', 120, [reportsResolved(120)]],
        ['probe', 125, [probeEvent('resolved', 125, 'Probe: facebook.com answers again.')]],
        ['page', 140, []],
        ['page', 200, []],
      ]);
      // The provider's resolution is the thread's last word: no reply after it, no new incident.
      expect(out.slice(4)).toEqual([[], [], [], [], []]);
      expect(out.flat().at(-1)?.type).toBe('resolved');
      expect(state.lag).toHaveLength(1);
    });

    it('open a new suspected incident of their own once they outlast the window', () => {
      const { out, state } = run([
        ...outage,
        ['probe', 110, [probeEvent('updated', 110, 'Probe: now HTTP 503 for facebook.com.')]],
        ['page', 130, []],
        ['page', 131, []],
        ['probe', 135, [probeEvent('updated', 135, 'Probe: now HTTP 502 for facebook.com.')]],
        ['reports', 140, [reportsResolved(140)]],
        ['probe', 145, [probeEvent('resolved', 145, 'Probe: facebook.com answers again.')]],
        ['page', 156, []],
      ]);
      const after = `facebook:probe:facebook.com:1:still-failing@${Date.parse(at(131))}`;
      expect(out.slice(4).map((events) => events.map(line))).toEqual([
        [],
        [],
        [
          `started [${after}] Confirmed by probes and user reports | outage-bot's probe still fails and people still report problems 31m after the provider resolved "Facebook apps unavailable".`,
        ],
        [
          `updated [${after}] Confirmed by probes and user reports | Probe: now HTTP 502 for facebook.com.`,
        ],
        [`updated [${after}] Confirmed by probes and user reports | Reports are back to normal.`],
        [
          `updated [${after}] Confirmed by probes and user reports | Probe: facebook.com answers again.`,
        ],
        [
          `resolved [${after}] Confirmed by probes and user reports | Every signal has been clear for 10m: probes healthy and reports normal.`,
        ],
      ]);
      const [started] = out[6] ?? [];
      // Not the provider's incident any more: its own start, still failing since the probe began.
      expect(started?.subject).toMatchObject({
        id: 'probe:facebook.com:1',
        title: 'probe probe:facebook.com:1',
        startedAt: at(0),
        status: 'investigating',
      });
      expect(started && mayPing(started)).toBe(true);
      // The provider-resolved outage keeps its one page-lag record; its tail adds none.
      expect(state.lag.map((r) => r.threadKey)).toEqual(['facebook:probe:facebook.com:1']);
      // While it is open, a new subscription is shown that tail, not the resolved thread.
      const tail = run(outage.concat([['page', 131, []]])).state;
      expect(signalStarts(tail, [PROBE_START]).map((e) => e.threadKey)).toEqual([after]);
    });

    it('a lone probe outlasting the window opens a suspected incident that pings nobody', () => {
      const { out } = run([
        ['probe', 2, [PROBE_START]],
        ['page', 50, [OFFICIAL_START]],
        ['page', 100, [PAGE_RESOLVED]],
        ['page', 131, []],
      ]);
      const [started] = out[3] ?? [];
      expect(started && line(started)).toBe(
        `started [facebook:probe:facebook.com:1:still-failing@${Date.parse(at(131))}] Suspected: outage-bot's probe fails | outage-bot's probe still fails 31m after the provider resolved "Facebook apps unavailable".`,
      );
      expect(started && mayPing(started)).toBe(false);
    });
  });
});
