import { afterEach, describe, expect, it } from 'vitest';
import { type DiscordAdapter, GATEWAY_LEASE } from '../../../adapters/discord/adapter.js';
import type { LeaseStore } from '../../../adapters/discord/gateway-lease.js';
import type { ThreadRef } from '../../../src/incidents/subscription.js';
import type { Store } from '../../../src/store/store.js';
import { PERMISSIONS } from '../../fakes/discord/index.js';
import { discordDelivery, incidentEvent, laterEvent } from './events.js';
import { type Harness, startHarness } from './harness.js';

/**
 * DESIGN "Scale": two adapters ("replicas") on one store and one fake Discord. Only the holder of
 * the gateway lease logs in and answers interactions; both deliver; the other takes over when the
 * holder stops, dies, or loses the store.
 */

const TTL = 600;

/** A replica's view of the store, which a test can cut off or crash. */
function leaseProbe(store: Store) {
  const probe = {
    tries: 0,
    /** The store is unreachable: every call fails. */
    broken: false,
    /** The replica sees the lease as taken (holds it back while the test looks). */
    blocked: false,
    /** The process dies without releasing anything. */
    crashed: false,
    async tryLease(name: string, owner: string, ttlMs: number) {
      probe.tries += 1;
      if (probe.broken) throw new Error('store unreachable');
      if (probe.blocked) return false;
      return store.tryLease(name, owner, ttlMs);
    },
    async releaseLease(name: string, owner: string) {
      if (probe.broken) throw new Error('store unreachable');
      if (!probe.crashed) await store.releaseLease(name, owner);
    },
  };
  return probe satisfies LeaseStore;
}

describe.each(['embedded', 'redis'] as const)('discord replicas (%s store)', (store) => {
  let h: Harness;
  afterEach(() => h?.close());

  const refuse = () =>
    h.fake.interact({
      subcommand: 'subscribe',
      options: { service: 'github' },
      channel: h.fake.channels.incidents,
      permissions: PERMISSIONS.member,
    });

  /** Replica A holds the gateway, replica B stands by; each has its own store connection. */
  async function twoReplicas() {
    h = await startHarness({ store, adapter: { gatewayLeaseMs: TTL } });
    await h.adapter.stop(); // the harness's own adapter: these two replace it
    const probes = { a: leaseProbe(h.store.open()), b: leaseProbe(h.store.open()) };
    const a = h.makeAdapter({ leaseStore: probes.a });
    await a.start();
    const b = h.makeAdapter({ leaseStore: probes.b });
    await b.start();
    expect(a.holdsGateway).toBe(true);
    expect(b.holdsGateway).toBe(false);
    expect(b.client).toBeUndefined();
    return { a, b, probes, identifies: h.fake.gateway.stats.identifies };
  }

  const takesOver = (r: DiscordAdapter) =>
    h.fake.waitFor(() => r.holdsGateway && r.client?.isReady(), {
      timeoutMs: 5_000,
      what: 'the standby replica to take the gateway',
    });

  it('only the holder connects and answers; both deliver; the other takes over on stop', async () => {
    const { a, b, probes, identifies } = await twoReplicas();
    // B keeps asking for longer than a lease lasts, and A's renewals keep it.
    const tries = probes.b.tries;
    await h.fake.waitFor(() => probes.b.tries >= tries + 4, { what: 'B to ask a few times' });
    expect(a.holdsGateway).toBe(true);
    expect(b.holdsGateway).toBe(false);
    expect(h.fake.gateway.stats.identifies).toBe(identifies);
    expect(h.fake.gateway.liveSessions).toBe(1);

    const answer = await refuse();
    expect(answer.callbacks).toHaveLength(1);
    expect(h.fake.callsTo('POST /interactions/:id/:id/callback')).toHaveLength(1);

    // Deliveries need no gateway session: B posts, opens threads and finds its forum post.
    const { incidents, general, forum } = h.fake.channels;
    const started = (await a.deliver({
      delivery: discordDelivery(incidentEvent(), incidents.id),
      possiblySent: false,
    })) as ThreadRef;
    await b.deliver({
      delivery: discordDelivery(laterEvent('updated'), incidents.id),
      thread: started,
      possiblySent: false,
    });
    await b.deliver({
      delivery: discordDelivery(incidentEvent(), general.id),
      possiblySent: false,
    });
    expect(h.fake.messagesIn(incidents.id)).toHaveLength(1);
    expect(h.fake.messagesIn(started.threadId as string)).toHaveLength(1);
    expect(h.fake.messagesIn(general.id)).toHaveLength(1);
    expect(h.fake.callsTo('POST /channels/:id/messages/:id/threads')).toHaveLength(1);
    const post = discordDelivery(incidentEvent(), forum.id);
    const ref = await b.deliver({ delivery: post, possiblySent: false });
    expect(await b.deliver({ delivery: post, possiblySent: true })).toEqual(ref);
    expect(h.fake.threadsOf(forum.id)).toHaveLength(1);

    // stop() hands the lease back at once (B is held off so the test can see it free).
    probes.b.blocked = true;
    await a.stop();
    expect(a.client).toBeUndefined();
    const observer = h.store.open();
    expect(await observer.tryLease(GATEWAY_LEASE, 'observer', TTL)).toBe(true);
    await observer.releaseLease(GATEWAY_LEASE, 'observer');
    probes.b.blocked = false;
    await takesOver(b);
    expect(h.fake.gateway.stats.identifies).toBe(identifies + 1);
    const again = await refuse();
    expect(again.callbacks).toHaveLength(1);
  });

  it('a holder that dies without releasing is replaced once its lease expires', async () => {
    const { a, b, probes, identifies } = await twoReplicas();
    probes.a.crashed = true;
    await a.stop();
    const diedAt = Date.now();
    await takesOver(b);
    // The lease was renewed at most ttl/3 before the crash, so B had to wait for its expiry.
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(TTL / 2);
    expect(h.fake.gateway.stats.identifies).toBe(identifies + 1);
    expect((await refuse()).callbacks).toHaveLength(1);
  });

  it('a holder cut off from the store leaves the gateway before another takes it', async () => {
    const { a, b, probes, identifies } = await twoReplicas();
    probes.a.broken = true;
    await h.fake.waitFor(() => !a.holdsGateway && !a.client, { what: 'A to leave the gateway' });
    expect(b.client).toBeUndefined();
    await takesOver(b);
    expect(h.fake.gateway.stats.identifies).toBe(identifies + 1);
    expect(h.fake.gateway.liveSessions).toBe(1);
    expect((await refuse()).callbacks).toHaveLength(1);
    // A stays a standby while the store is away, and does not log in again.
    const tries = probes.a.tries;
    await h.fake.waitFor(() => probes.a.tries >= tries + 2, { what: 'A to ask again' });
    expect(a.client).toBeUndefined();
  });
});
