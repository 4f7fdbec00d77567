import { describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/incidents/reconcile.js';
import {
  describeEvent,
  incident,
  OPTIONS,
  resolvedIncident,
  snapshot,
  stateAfter,
  update,
} from './factories.js';
import { i1, runTable } from './reconcile-table.js';

const DAY = 24 * 60;

/** i1 open at 0, resolved at 4, and a poll a day later so its full record has expired. */
const closedADayAgo = [
  snapshot(0, { incidents: [i1] }),
  snapshot(5, { incidents: [resolvedIncident('i1', 0, 4)] }),
  snapshot(5 + DAY + 1),
];

const reopenedFeed = incident('i1', {
  updates: [
    update('i1-1', 'investigating', 0),
    update('i1-r', 'resolved', 4),
    update('i1-3', 'identified', 2 * DAY, 'It is back; we are on it.'),
  ],
  status: 'identified',
});

runTable({
  'rule 7 after the full record expired: a closed record still knows the thread': [
    {
      name: 'open again after the retention window: reopened (not a new start)',
      history: closedADayAgo,
      observed: snapshot(2 * DAY, { incidents: [reopenedFeed] }),
      events: ['reopened acme:i1:reopened:i1-3 identified'],
      check: (state, [reopened]) => {
        expect(reopened?.update?.body).toBe('It is back; we are on it.');
        expect(reopened?.subject.resolvedAt).toBeUndefined();
        expect(state.closed).toBeUndefined();
        expect(state.subjects.i1?.seenUpdateIds).toEqual(['i1-1', 'i1-r', 'i1-3']);
      },
    },
    {
      name: 'listed again still resolved (a postmortem): not news',
      history: closedADayAgo,
      observed: snapshot(2 * DAY, {
        incidents: [
          resolvedIncident('i1', 0, 4, {
            updates: [
              update('i1-1', 'investigating', 0),
              update('i1-r', 'resolved', 4),
              update('i1-pm', 'resolved', 2 * DAY, 'Postmortem.'),
            ],
          }),
        ],
      }),
      events: [],
      check: (state) => expect(state.closed).toEqual({ i1: snapshot(5).fetchedAt }),
    },
    {
      name: 'resolved after a long gap between polls: kept in full from its resolution',
      history: [snapshot(0, { incidents: [i1] })],
      observed: snapshot(5 + DAY + 1, { incidents: [resolvedIncident('i1', 0, 4)] }),
      // Resolved and confirmed in this very poll: the full record is fresh.
      events: ['resolved acme:i1:resolved:i1-r resolved'],
      check: (state) => {
        expect(state.subjects.i1?.closedAt).toBeDefined();
        expect(state.closed).toBeUndefined();
      },
    },
  ],
});

describe('closed records are bounded', () => {
  it('keeps a closed record through the reopen window and drops it after', () => {
    const options = { ...OPTIONS, reopenWindowMs: 10 * DAY * 60_000 };
    const state = stateAfter(closedADayAgo, options);
    expect(state?.closed).toEqual({ i1: snapshot(5).fetchedAt });
    const inside = reconcile(state, snapshot(5 + 10 * DAY), options).state;
    expect(inside.closed).toEqual({ i1: snapshot(5).fetchedAt });
    const after = reconcile(inside, snapshot(5 + 10 * DAY + 1), options).state;
    expect(after.closed).toBeUndefined();
    // Forgotten: the incident back again is a new thread, as the thread ref is gone by then.
    const back = reconcile(after, snapshot(11 * DAY, { incidents: [reopenedFeed] }), options);
    expect(back.events.map(describeEvent)).toEqual(['started acme:i1:started:open identified']);
  });

  it('keeps only the most recently closed records beyond the cap', () => {
    const options = { ...OPTIONS, maxClosedRecords: 2 };
    const ids = ['a', 'b', 'c'];
    const history = [
      snapshot(0, { incidents: ids.map((id) => incident(id)) }),
      ...ids.map((_, n) =>
        snapshot(10 + n, {
          incidents: ids.map((other, m) =>
            m <= n ? resolvedIncident(other, 0, 10 + m) : incident(other),
          ),
        }),
      ),
      snapshot(20 + DAY),
    ];
    expect(stateAfter(history, options)?.closed).toEqual({
      b: snapshot(11).fetchedAt,
      c: snapshot(12).fetchedAt,
    });
  });
});
