import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type IncidentEventType } from '../../../src/incidents/model.js';
import {
  closesThread,
  editsRoot,
  mayPing,
  reopensThread,
} from '../../../src/incidents/thread-rules.js';

const open = { status: 'investigating' } as const;
const over = { status: 'resolved' } as const;

/** Every event type and what it does to its thread: [closes, reopens, edits the root]. */
const TABLE: Record<IncidentEventType, [boolean, boolean, boolean]> = {
  started: [false, false, false],
  updated: [false, false, false],
  reopened: [false, true, true],
  confirmed: [false, false, true],
  resolved: [true, false, true],
  maintenance_scheduled: [false, false, false],
  maintenance_started: [false, false, false],
  maintenance_completed: [true, false, true],
  digest: [false, false, false],
};

describe('thread rules', () => {
  it.each(EVENT_TYPES.map((type) => [type, TABLE[type]] as const))(
    '%s: closes, reopens, edits the root = %j',
    (type, [closes, reopens, edits]) => {
      expect(closesThread({ type })).toBe(closes);
      expect(reopensThread({ type })).toBe(reopens);
      expect(editsRoot({ type })).toBe(edits);
    },
  );

  it('lets only a live start ping', () => {
    expect(mayPing({ type: 'started', subject: { ...subject(), ...open } })).toBe(true);
    expect(mayPing({ type: 'started', combined: true, subject: { ...subject(), ...over } })).toBe(
      false,
    );
    expect(mayPing({ type: 'started', subject: { ...subject(), ...over } })).toBe(false);
    for (const type of EVENT_TYPES.filter((t) => t !== 'started')) {
      expect(mayPing({ type, subject: { ...subject(), ...open } })).toBe(false);
    }
  });

  it('pings for a confirmed incident only: not a lone probe, but the event that confirms it', () => {
    const probe = { ...subject(), ...open, origin: 'probe' as const };
    expect(mayPing({ type: 'started', subject: probe })).toBe(false);
    expect(mayPing({ type: 'started', subject: { ...probe, confidence: 'confirmed' } })).toBe(true);
    const confirmed = { ...probe, confidence: 'provider' as const };
    expect(mayPing({ type: 'confirmed', confirmedNow: true, subject: confirmed })).toBe(true);
    expect(mayPing({ type: 'confirmed', subject: confirmed })).toBe(false);
  });
});

function subject() {
  return {
    kind: 'incident' as const,
    id: 'i1',
    title: 'Down',
    impact: 'major' as const,
    components: [],
    startedAt: '2026-03-02T12:00:00.000Z',
    origin: 'status_page' as const,
  };
}
