import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { PollResult, Service } from '../../../src/incidents/model.js';
import type { ChannelRef } from '../../../src/incidents/subscription.js';
import { pollService } from '../../../src/scheduler/poll-service.js';
import { QUIET_REFRESH_MS } from '../../../src/scheduler/quiet-poll.js';
import type { Source } from '../../../src/sources/source.js';
import type { Store } from '../../../src/store/store.js';
import { storePerTest } from '../../helpers/stores.js';
import { subscription } from '../../helpers/subscriptions.js';
import { at, incident, SERVICE, snapshot, update } from '../incidents/factories.js';

const service: Service = {
  id: SERVICE,
  name: 'Acme',
  aliases: [],
  sources: [{ kind: 'statuspage', url: 'https://status.acme.test' }],
  trusted: true,
};
const channel: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
const LEASE = `poll:${SERVICE}`;

/** Answers whatever the test gives it: our own Source interface, no mock. */
class ScriptedSource implements Source {
  readonly service = service;
  readonly config = service.sources[0] ?? { kind: 'statuspage', url: '' };
  next: PollResult = { ok: false, failure: { kind: 'network', message: 'not set' } };
  async poll(): Promise<PollResult> {
    return this.next;
  }
}

/**
 * A poll that finds the page as it was (no event, a state that differs only in its poll times)
 * writes nothing: its one round trip is its start, and its lease goes back with the next one.
 */
describe.each(['embedded', 'redis'] as const)('a quiet poll on the %s store', (kind) => {
  const { t } = storePerTest(kind);

  const poll = (store: Store, minute: number, result: PollResult) =>
    pollService(service, new AbortController().signal, {
      store,
      sourceFor: () => Object.assign(new ScriptedSource(), { next: result }),
      logger: pino({ level: 'silent' }),
      now: () => new Date(at(minute)),
      owner: 'test',
      leaseMs: 60_000,
      onEnqueued: () => {},
    });
  const open = incident('i1');
  const page = (minute: number) => ({
    ok: true as const,
    snapshot: snapshot(minute, { incidents: [open] }),
  });

  it('commits nothing, frees its lease for the next poll, and still refreshes the state', async () => {
    await t.store.putSubscription(subscription({ serviceId: SERVICE, channel }));
    expect(await poll(t.store, 1, page(1))).toBe('ok');
    const baseline = await t.store.getState(SERVICE);
    expect(baseline?.lastPollAt).toBe(at(1));
    expect(await t.store.pendingDeliveries()).toBe(1);

    expect(await poll(t.store, 2, page(2))).toBe('ok');
    expect(await t.store.getState(SERVICE)).toEqual(baseline);
    // The next poll's start carries the release: its lease is not refused as another's.
    expect(await poll(t.store, 3, page(3))).toBe('ok');
    expect(await t.store.getState(SERVICE)).toEqual(baseline);
    // With no next poll the release goes alone, shortly: another replica may take the lease.
    const other = t.open();
    await vi.waitFor(async () => expect(await other.tryLease(LEASE, 'other', 1_000)).toBe(true));
    await other.releaseLease(LEASE, 'other');

    // Past the refresh interval the poll times are written, so the state stays fresh.
    const refreshAt = 1 + QUIET_REFRESH_MS / 60_000;
    expect(await poll(t.store, refreshAt, page(refreshAt))).toBe('ok');
    expect((await t.store.getState(SERVICE))?.lastPollAt).toBe(at(refreshAt));

    // A change is committed under its fence as ever, and its update sent once.
    const identified = incident('i1', {
      status: 'identified',
      updates: [update('i1-1', 'investigating', 0), update('i1-2', 'identified', 10)],
    });
    const next = refreshAt + 1;
    const changed = { ok: true as const, snapshot: snapshot(next, { incidents: [identified] }) };
    expect(await poll(t.store, next, changed)).toBe('ok');
    expect(await poll(t.store, next + 1, changed)).toBe('ok');
    expect(await t.store.pendingDeliveries()).toBe(2);
    expect((await t.store.getState(SERVICE))?.subjects.i1?.seenUpdateIds).toEqual(['i1-1', 'i1-2']);
  });
});
