import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTimeline } from '../../../src/replay/load-timeline.js';

const FILE = 'timelines/test.yml';

/** A valid timeline with `signals` replaced. */
const withSignals = (signals: string) =>
  [
    'name: test',
    'date: 2021-10-04',
    'from: "15:30"',
    'until: "16:00"',
    'services: [facebook]',
    'signals:',
    signals,
  ].join('\n');

const errorOf = (text: string): string => {
  try {
    parseTimeline(text, FILE);
  } catch (err) {
    expect((err as Error).name).toBe('TimelineError');
    return (err as Error).message;
  }
  throw new Error('expected the timeline to be refused');
};

describe('timeline format', () => {
  it('reads the shipped Meta timeline: its services, window and signals in time order', () => {
    const path = resolve(import.meta.dirname, '../../../timelines/meta-2021-10-04.yml');
    const timeline = parseTimeline(readFileSync(path, 'utf8'), path);
    expect(timeline.services).toEqual(['facebook', 'instagram', 'whatsapp', 'messenger']);
    expect(new Date(timeline.fromMs).toISOString()).toBe('2021-10-04T15:30:00.000Z');
    expect(new Date(timeline.untilMs).toISOString()).toBe('2021-10-04T21:50:00.000Z');
    const times = timeline.signals.map((s) => s.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(timeline.signals.map((s) => s.kind))).toEqual(
      new Set(['host', 'source', 'report']),
    );
  });

  it('fills the defaults and keeps the order of one moment', () => {
    const timeline = parseTimeline(
      withSignals(
        [
          '  - { at: "15:45", kind: host, hosts: [b.example], status: 503 }',
          '  - { at: "15:40:30", kind: host, hosts: [a.example], dns: servfail }',
          '  - { at: "2021-10-04T15:45:00Z", kind: report, service: facebook, users: 3 }',
        ].join('\n'),
      ),
      FILE,
    );
    expect(timeline.signals).toEqual([
      {
        at: '15:40:30',
        atMs: Date.parse('2021-10-04T15:40:30Z'),
        kind: 'host',
        hosts: ['a.example'],
        dns: 'servfail',
        status: 200,
      },
      {
        at: '15:45',
        atMs: Date.parse('2021-10-04T15:45:00Z'),
        kind: 'host',
        hosts: ['b.example'],
        dns: 'ok',
        status: 503,
      },
      {
        at: '2021-10-04T15:45:00Z',
        atMs: Date.parse('2021-10-04T15:45:00Z'),
        kind: 'report',
        service: 'facebook',
        users: 3,
      },
    ]);
  });

  it('names the line and column of broken YAML', () => {
    const stray =
      '  - { at: "15:40", kind: host, hosts: [a.example] }}\n  - { at: "15:41", kind: host, hosts: [b] }';
    expect(errorOf(withSignals(stray))).toBe(
      'timelines/test.yml:7:52: not valid YAML: Unexpected flow-map-end token in YAML stream: "}"',
    );
    expect(errorOf(withSignals('  - at: "15:40"\n\tkind: host\n'))).toBe(
      'timelines/test.yml:8:1: not valid YAML: Tabs are not allowed as indentation',
    );
  });

  it('names the line and field of an unknown kind', () => {
    expect(errorOf(withSignals('  - at: "15:40"\n    kind: tweet\n'))).toBe(
      'timelines/test.yml:8:11: signals[0].kind: kind must be one of host, source, report',
    );
  });

  it('names the line and field of a bad value, an unknown field and a missing one', () => {
    expect(
      errorOf(
        withSignals('  - at: "15:40"\n    kind: host\n    hosts: [a.example]\n    dns: down\n'),
      ),
    ).toBe(
      'timelines/test.yml:10:10: signals[0].dns: Invalid option: expected one of "ok"|"servfail"|"nxdomain"|"timeout"',
    );
    expect(
      errorOf(withSignals('  - { at: "3pm", kind: report, service: facebook, users: 2 }')),
    ).toBe(
      'timelines/test.yml:7:11: signals[0].at: expected a UTC time like "15:40", "15:40:30" or "2021-10-04T15:40:00Z"',
    );
    expect(
      errorOf(
        withSignals('  - { at: "15:40", kind: report, service: facebook, users: 2, who: me }'),
      ),
    ).toBe('timelines/test.yml:7:5: signals[0]: unknown field who');
    expect(
      errorOf(withSignals('  - { at: "15:40", kind: source, url: "https://a.example/" }')),
    ).toBe('timelines/test.yml:7:5: signals[0]: a source signal needs exactly one of json or body');
  });

  it('refuses a signal outside the window and a report for a service not followed', () => {
    expect(errorOf(withSignals('  - { at: "16:30", kind: host, hosts: [a.example] }'))).toBe(
      'timelines/test.yml:7:11: signals[0].at: 16:30 is outside 15:30–16:00',
    );
    expect(
      errorOf(withSignals('  - { at: "15:40", kind: report, service: tiktok, users: 2 }')),
    ).toBe("timelines/test.yml:7:43: signals[0].service: tiktok is not in the timeline's services");
  });
});
