import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { PollResult, Service } from '../../../src/incidents/model.js';
import type { ChannelRef } from '../../../src/incidents/subscription.js';
import { pollService } from '../../../src/scheduler/poll-service.js';
import type { Source } from '../../../src/sources/source.js';
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
const early: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C-early' };
const late: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C-late' };

/** A source that answers whatever the test put in `next`: our own Source interface, no mock. */
class ScriptedSource implements Source {
  readonly service = service;
  readonly config = service.sources[0] ?? { kind: 'statuspage', url: '' };
  next: PollResult = { ok: false, failure: { kind: 'network', message: 'not set' } };
  async poll(): Promise<PollResult> {
    return this.next;
  }
}

describe.each(['embedded', 'redis'] as const)('pollService on the %s store', (kind) => {
  const { t } = storePerTest(kind);

  function poller(minute: number, logger: Logger = pino({ level: 'silent' })) {
    const source = new ScriptedSource();
    const poll = (result: PollResult, atMinute = minute) =>
      pollService(service, new AbortController().signal, {
        store: t.store,
        sourceFor: () => Object.assign(source, { next: result }),
        logger,
        now: () => new Date(at(atMinute)),
        owner: 'test',
        leaseMs: 10_000,
        onEnqueued: () => {},
      });
    return poll;
  }

  /** What the outbox hands out for one channel, in order, draining everything. */
  async function queued(channel: ChannelRef): Promise<string[]> {
    return (await drain())[channel.channelId] ?? [];
  }

  /** Everything the outbox hands out, by channel id, in order. */
  async function drain(): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (;;) {
      const batch = await t.store.claimDeliveries({
        owner: 'reader',
        now: new Date(at(10_000)),
        limit: 50,
        leaseMs: 60_000,
      });
      if (batch.length === 0) return out;
      for (const d of batch) {
        const lines = out[d.channel.channelId] ?? [];
        lines.push(`${d.event.type} ${d.event.update?.id ?? ''}`.trim());
        out[d.channel.channelId] = lines;
        await t.store.completeDelivery(d, 'reader');
      }
    }
  }

  it('shows a channel that subscribed before the first poll what is open (rule 2), once', async () => {
    await t.store.putSubscription(subscription({ serviceId: SERVICE, channel: early }));
    const open = incident('i1');
    const poll = poller(1);
    expect(await poll({ ok: true, snapshot: snapshot(1, { incidents: [open] }) })).toBe('ok');
    expect(await poll({ ok: true, snapshot: snapshot(2, { incidents: [open] }) }, 2)).toBe('ok');
    expect(await queued(early)).toEqual(['started i1-1']);
  });

  it('after a gap, a channel that subscribed meanwhile gets the start, then the new update once', async () => {
    await t.store.putSubscription(subscription({ serviceId: SERVICE, channel: early }));
    const poll = poller(1);
    await poll({ ok: true, snapshot: snapshot(1, { incidents: [incident('i1')] }) });
    await t.store.putSubscription(subscription({ serviceId: SERVICE, channel: late }));
    const updated = incident('i1', {
      status: 'identified',
      updates: [update('i1-1', 'investigating', 0), update('i1-2', 'identified', 60)],
    });
    await poll({ ok: true, snapshot: snapshot(61, { incidents: [updated] }) }, 61);
    expect(await drain()).toEqual({
      'C-early': ['started i1-1', 'updated i1-2'],
      'C-late': ['started i1-1', 'updated i1-2'],
    });
  });

  it('a failed poll after a gap posts nothing from the old state', async () => {
    const poll = poller(1);
    await poll({ ok: true, snapshot: snapshot(1, { incidents: [incident('i1')] }) });
    await t.store.putSubscription(subscription({ serviceId: SERVICE, channel: late }));
    const failed: PollResult = { ok: false, failure: { kind: 'timeout', message: 'timed out' } };
    expect(await poll(failed, 120)).toBe('failed');
    expect(await queued(late)).toEqual([]);
  });

  it('sends a muted channel only the updates of threads it already has', async () => {
    const poll = poller(1);
    await poll({ ok: true, snapshot: snapshot(1) });
    await t.store.putSubscription(subscription({ serviceId: SERVICE, channel: early }));
    await t.store.putSubscription(subscription({ serviceId: SERVICE, channel: late }));
    await poll({ ok: true, snapshot: snapshot(2, { incidents: [incident('i1')] }) }, 2);
    expect(await queued(early)).toEqual(['started i1-1']);
    await t.store.putThread(`${SERVICE}:i1|slack:T1:C-early`, {
      channelId: 'C-early',
      rootId: '1',
    });
    await t.store.setMute(early, new Date(Date.now() + 3_600_000));
    await t.store.setMute(late, new Date(Date.now() + 3_600_000));
    await poll({ ok: true, snapshot: snapshot(3, { incidents: [incident('i2')] }) }, 3);
    const updated = incident('i1', {
      status: 'identified',
      updates: [update('i1-1', 'investigating', 0), update('i1-2', 'identified', 3)],
    });
    await poll({ ok: true, snapshot: snapshot(4, { incidents: [updated] }) }, 4);
    expect(await drain()).toEqual({ 'C-early': ['updated i1-2'] });
  });

  it('a service muted in one channel opens no thread there; the other channel and open threads go on', async () => {
    const poll = poller(1);
    await poll({ ok: true, snapshot: snapshot(1) });
    await t.store.putSubscription(subscription({ serviceId: SERVICE, channel: early }));
    await t.store.putSubscription(subscription({ serviceId: SERVICE, channel: late }));
    await poll({ ok: true, snapshot: snapshot(2, { incidents: [incident('i1')] }) }, 2);
    expect(await drain()).toEqual({ 'C-early': ['started i1-1'], 'C-late': ['started i1-1'] });
    await t.store.putThread(`${SERVICE}:i1|slack:T1:C-early`, {
      channelId: 'C-early',
      rootId: '1',
    });
    await t.store.putSubscription(
      subscription({ serviceId: SERVICE, channel: early, mutedUntil: at(5) }),
    );
    const updated = incident('i1', {
      status: 'identified',
      updates: [update('i1-1', 'investigating', 0), update('i1-2', 'identified', 3)],
    });
    await poll({ ok: true, snapshot: snapshot(3, { incidents: [updated, incident('i2')] }) }, 3);
    expect(await drain()).toEqual({
      'C-early': ['updated i1-2'],
      'C-late': ['updated i1-2', 'started i2-1'],
    });
    // Once the mute is over, new incidents open threads there again.
    const i3 = incident('i3', { startedAt: at(6) });
    await poll(
      { ok: true, snapshot: snapshot(6, { incidents: [updated, incident('i2'), i3] }) },
      6,
    );
    expect(await drain()).toEqual({ 'C-early': ['started i3-1'], 'C-late': ['started i3-1'] });
  });

  it('counts a reconcile bug as internal_error, logged with the service id, and records nothing', async () => {
    const { logger, lines } = capturedLogger();
    const poll = poller(1, logger);
    const broken = { ...snapshot(1, { incidents: [incident('i1')] }), fetchedAt: 'not a time' };
    expect(await poll({ ok: true, snapshot: broken })).toBe('internal_error');
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        service: SERVICE,
        msg: 'poll failed on an internal error; nothing recorded',
      }),
    );
    expect(lines.some((line) => String(line.msg).includes('store unavailable'))).toBe(false);
    expect(await t.store.getState(SERVICE)).toBeUndefined();
    expect(await poll({ ok: true, snapshot: snapshot(2) }, 2)).toBe('ok');
  });

  it('counts a source failure as failed, recorded as source health', async () => {
    const poll = poller(1);
    const failed: PollResult = { ok: false, failure: { kind: 'network', message: 'refused' } };
    expect(await poll(failed)).toBe('failed');
    expect((await t.store.getState(SERVICE))?.health.consecutiveFailures).toBe(1);
  });

  it('counts a store failure apart from a source failure', async () => {
    const poll = poller(1);
    await t.store.close();
    expect(await poll({ ok: true, snapshot: snapshot(1) })).toBe('store_unavailable');
  });
});

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), lines };
}
