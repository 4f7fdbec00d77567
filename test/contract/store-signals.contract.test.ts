import { describe, expect, it } from 'vitest';
import type { SignalState } from '../../src/incidents/signal-state.js';
import { type StoreKind, storePerTest } from '../helpers/stores.js';
import { delivery, state } from './store-fixtures.js';

const signals = (threadKey: string): SignalState => ({
  serviceId: 'facebook',
  groups: [],
  lag: [
    { threadKey, firstSignalAt: '2021-10-04T15:40:00.000Z', closedAt: '2021-10-04T21:30:00.000Z' },
  ],
});

/** A service's merged signals: saved in the poll's commit, only at the version the poll read. */
describe.each<StoreKind>(['embedded', 'redis'])('Store contract, merged signals: %s', (kind) => {
  const { t, store } = storePerTest(kind);

  it('starts with none, and saves them with the poll at version 0, then 1', async () => {
    expect(await store.getSignals('facebook')).toBeUndefined();
    const first = { state: signals('a'), version: 0 };
    expect(await store.commitPoll(state('facebook'), [delivery('inc1', 0)], undefined, first)).toBe(
      1,
    );
    expect(await store.getSignals('facebook')).toEqual({ state: signals('a'), version: 1 });
    const second = { state: signals('b'), version: 1 };
    expect(await store.commitPoll(state('facebook#1:probe'), [], undefined, second)).toBe(0);
    expect(await store.getSignals('facebook')).toEqual({ state: signals('b'), version: 2 });
  });

  it('writes nothing when another replica committed the signals since they were read', async () => {
    const replica = t.open();
    await store.commitPoll(state('facebook'), [], undefined, { state: signals('a'), version: 0 });
    const read = await store.getSignals('facebook');
    const readThere = await replica.getSignals('facebook');
    expect(readThere?.version).toBe(1);
    // The replica's poll of another feed commits first.
    const won = await replica.commitPoll(
      state('facebook#1:probe'),
      [delivery('inc1', 0)],
      undefined,
      {
        state: signals('replica'),
        version: readThere?.version ?? 0,
      },
    );
    expect(won).toBe(1);
    const lost = await store.commitPoll(
      state('facebook', ['u1']),
      [delivery('inc2', 0)],
      undefined,
      {
        state: signals('here'),
        version: read?.version ?? 0,
      },
    );
    expect(lost).toBe('signals_changed');
    // Neither its signals, nor its feed state, nor its deliveries were written.
    expect(await store.getSignals('facebook')).toEqual({ state: signals('replica'), version: 2 });
    expect(await store.getState('facebook')).toEqual(state('facebook'));
    expect(await store.pendingDeliveries()).toBe(1);
  });

  it('a commit without signals leaves them as they are', async () => {
    await store.commitPoll(state('facebook'), [], undefined, { state: signals('a'), version: 0 });
    expect(await store.commitPoll(state('facebook', ['u1']), [])).toBe(0);
    expect(await store.getSignals('facebook')).toEqual({ state: signals('a'), version: 1 });
  });
});
