import { describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/incidents/model.js';
import { type Observation, reconcile } from '../../../src/incidents/reconcile.js';
import type { ServiceState } from '../../../src/incidents/state.js';
import {
  component,
  describeEvent,
  incident,
  maintenance,
  OPTIONS,
  SERVICE,
  stateAfter,
  update,
} from './factories.js';

/** One (previous, observed) pair of a reconciler rule and exactly what it must produce. */
export interface Case {
  name: string;
  /** Observations reconciled before, from no state: they build the previous state. */
  history: Observation[];
  observed: Observation;
  /** `type id subjectStatus [combined] [inferred]`, in order. */
  events: string[];
  /** Events when the same observation is reconciled once more against the new state. */
  again?: string[];
  check?: (state: ServiceState, events: IncidentEvent[], previous?: ServiceState) => void;
}

export type Table = Record<string, Case[]>;

export const i1 = incident('i1');
export const c1 = (status: Parameters<typeof component>[1]) => component('c1', status);
/** Official incident components naming c1 ("Comp c1"), in another letter case. */
export const namingC1 = { components: ['comp C1'] };
export const m1Scheduled = maintenance('m1', 'scheduled', [update('m1-1', 'scheduled', 0)]);
export const m1Running = maintenance('m1', 'in_progress', [
  update('m1-1', 'scheduled', 0),
  update('m1-2', 'in_progress', 60),
]);

/**
 * Runs every case: the exact events, purity (previous untouched, same inputs same output), a
 * JSON round trip of the state, and what the same observation yields once more.
 */
export const runTable = (table: Table): void => {
  describe.each(Object.entries(table))('%s', (_rule, cases) => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const { history, observed, events, again = [], check } = c;
      const previous = stateAfter(history);
      const before = structuredClone(previous);
      const result = reconcile(previous, observed, OPTIONS);

      expect(result.events.map(describeEvent)).toEqual(events);
      // Pure: the previous state is untouched and the same inputs give the same output (rule 1).
      expect(previous).toEqual(before);
      expect(reconcile(before, observed, OPTIONS)).toEqual(result);
      // The same observation again, against the state as a store round-trips it.
      const stored = JSON.parse(JSON.stringify(result.state)) as ServiceState;
      expect(reconcile(stored, observed, OPTIONS).events.map(describeEvent)).toEqual(again);
      for (const event of result.events) {
        expect(event.serviceName).toBe('Acme');
        expect(event.threadKey).toBe(`${SERVICE}:${event.subject.id}`);
        expect(event.id.startsWith(`${event.threadKey}:${event.type}:`)).toBe(true);
        const polledAt = 'fetchedAt' in observed ? observed.fetchedAt : undefined;
        expect(event.at).toBe(event.update?.at ?? polledAt);
      }
      check?.(result.state, result.events, previous);
    });
  });
};
