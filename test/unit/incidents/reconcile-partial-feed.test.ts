import { expect } from 'vitest';
import type { Observation } from '../../../src/incidents/reconcile.js';
import { ms, type SnapshotParts, snapshot } from './factories.js';
import { i1, m1Running, runTable } from './reconcile-table.js';

/**
 * Polls whose summary was read but whose incidents list (history) was not: a page without
 * incidents.json, or one that keeps failing. Incidents then resolve only after a longer absence
 * from the summary; maintenances (which may be listed only in the history) never complete.
 */

/** Polls at minutes from..to (inclusive), each with the same parts. */
const polls = (from: number, to: number, parts: SnapshotParts = {}): Observation[] =>
  Array.from({ length: to - from + 1 }, (_, n) => snapshot(from + n, parts));

const noHistory = { resolutionsKnown: false };
const inferredByHistory = `resolved acme:i1:resolved:missing@${ms(10)} resolved inferred`;
const completedAt = (minute: number) =>
  `maintenance_completed acme:m1:maintenance_completed:missing@${ms(minute)} completed inferred`;

runTable({
  'rule 5 without history: a longer absence from the summary resolves': [
    {
      name: 'absent for 9 polls while the history fails: still open, counted',
      history: [snapshot(0, { incidents: [i1] }), ...polls(1, 8, noHistory)],
      observed: snapshot(9, noHistory),
      events: [],
      // The same poll counted once more is the tenth.
      again: [`resolved acme:i1:resolved:missing@${ms(9)} resolved inferred`],
      check: (state) => {
        expect(state.subjects.i1).toMatchObject({ missingPolls: 0, absentPolls: 9 });
        expect(state.subjects.i1?.closedAt).toBeUndefined();
      },
    },
    {
      name: 'absent for 10 polls while the history fails: resolved once, inferred',
      history: [snapshot(0, { incidents: [i1] }), ...polls(1, 9, noHistory)],
      observed: snapshot(10, noHistory),
      events: [inferredByHistory],
      check: (state, [resolved]) => {
        expect(resolved?.inferred).toBe(true);
        expect(resolved?.update?.body).toBe(
          'No longer listed on the status page (its incident history could not be read).',
        );
        expect(state.subjects.i1?.closedAt).toBe(snapshot(10).fetchedAt);
      },
    },
    {
      name: 'history polls absent from both count towards the 10 as well',
      history: [snapshot(0, { incidents: [i1] }), ...polls(1, 2), ...polls(3, 9, noHistory)],
      observed: snapshot(10, noHistory),
      events: [inferredByHistory],
      check: (state) => expect(state.subjects.i1?.missingPolls).toBe(2),
    },
    {
      name: 'a history poll listing it open resets the count',
      history: [
        snapshot(0, { incidents: [i1] }),
        ...polls(1, 8, noHistory),
        snapshot(9, { incidents: [i1] }),
      ],
      observed: snapshot(10, noHistory),
      events: [],
      check: (state) => expect(state.subjects.i1?.absentPolls).toBe(1),
    },
    {
      name: 'back in the summary resets the count: 9 more absent polls are not enough',
      history: [
        snapshot(0, { incidents: [i1] }),
        ...polls(1, 9, noHistory),
        snapshot(10, { incidents: [i1], ...noHistory }),
        ...polls(11, 18, noHistory),
      ],
      observed: snapshot(19, noHistory),
      events: [],
      again: [`resolved acme:i1:resolved:missing@${ms(19)} resolved inferred`],
      check: (state) => expect(state.subjects.i1?.absentPolls).toBe(9),
    },
    {
      name: 'the history readable again: three polls absent from both still resolve',
      history: [snapshot(0, { incidents: [i1] }), ...polls(1, 5, noHistory), ...polls(6, 7)],
      observed: snapshot(8),
      events: [`resolved acme:i1:resolved:missing@${ms(8)} resolved inferred`],
      check: (_state, [resolved]) =>
        expect(resolved?.update?.body).toBe('No longer listed on the status page.'),
    },
  ],
  'maintenance: a poll that could not read the history does not complete it': [
    {
      name: 'running, the history failing for 4 polls: nothing',
      history: [
        snapshot(0, { maintenances: [m1Running] }),
        snapshot(1, { maintenances: [m1Running] }),
        ...polls(2, 4, noHistory),
      ],
      observed: snapshot(5, noHistory),
      events: [],
      check: (state) => {
        expect(state.subjects.m1).toMatchObject({ missingPolls: 0 });
        expect(state.subjects.m1?.subject.status).toBe('in_progress');
        expect(state.subjects.m1?.closedAt).toBeUndefined();
      },
    },
    {
      name: 'running, the history failing for 12 polls: still nothing',
      history: [snapshot(0, { maintenances: [m1Running] }), ...polls(1, 11, noHistory)],
      observed: snapshot(12, noHistory),
      events: [],
      check: (state) => expect(state.subjects.m1?.closedAt).toBeUndefined(),
    },
    {
      name: 'the history readable again and it is listed: nothing',
      history: [snapshot(0, { maintenances: [m1Running] }), ...polls(1, 4, noHistory)],
      observed: snapshot(5, { maintenances: [m1Running] }),
      events: [],
    },
    {
      name: 'lists readable and it is gone for three polls: completed, inferred',
      history: [snapshot(0, { maintenances: [m1Running] }), ...polls(1, 2)],
      observed: snapshot(3),
      events: [completedAt(3)],
    },
    {
      name: 'failing polls between readable absent ones neither count nor reset',
      history: [
        snapshot(0, { maintenances: [m1Running] }),
        ...polls(1, 2),
        ...polls(3, 6, noHistory),
      ],
      observed: snapshot(7),
      events: [completedAt(7)],
    },
  ],
});
