import { describe, expect, it } from 'vitest';
import type { CommandOptions } from '../../../commands/command.js';
import { formatTime } from '../../../commands/format.js';
import { runCommand } from '../../../commands/registry.js';
import { subscription } from '../../helpers/subscriptions.js';
import {
  CHANNEL,
  harnessPerTest,
  incident,
  minutesAgo,
  NOW,
  registered,
  stateOf,
} from './command-fixtures.js';

const subscribe = registered('subscribe');

describe('subscribe', () => {
  const h = harnessPerTest();

  const run = (options: CommandOptions, harness = h) => runCommand(subscribe, harness.ctx, options);

  it('subscribes the channel with default filters and says so in the channel', async () => {
    const reply = await run({ service: 'github' });
    expect(reply).toEqual({
      visibility: 'in_channel',
      text: "This channel now follows GitHub: all incidents.\nChecking GitHub's status page now: anything open will follow here.",
    });
    const subs = await h.test.store.listSubscriptionsForChannel(CHANNEL);
    expect(subs).toEqual([
      subscription({ serviceId: 'github', channel: CHANNEL, createdAt: NOW.toISOString() }),
    ]);
  });

  it('polls a service nobody polled yet at once, and only for a new subscription', async () => {
    const polled: string[] = [];
    h.services.pollNow = (id) => polled.push(id);
    await run({ service: 'github' });
    await run({ service: 'github', impact: 'major' });
    expect(polled).toEqual(['github']);
  });

  it('finds services by name and alias, in any case', async () => {
    expect((await run({ service: 'GH' })).text).toContain('follows GitHub');
    expect((await run({ service: 'google cloud' })).text).toContain('follows Google Cloud');
    const ids = (await h.test.store.listSubscriptionsForChannel(CHANNEL)).map((s) => s.serviceId);
    expect(ids.sort()).toEqual(['github', 'google-cloud']);
  });

  it('stores impact, components and mention, and describes them', async () => {
    const reply = await run({
      service: 'github',
      impact: 'minor',
      components: 'Git Operations,API',
      mention: '@here',
    });
    expect(reply.text).toBe(
      "This channel now follows GitHub: minor, major and critical incidents on Git Operations or API; pings @here on minor, major and critical incidents.\nChecking GitHub's status page now: anything open will follow here.",
    );
    const [sub] = await h.test.store.listSubscriptionsForChannel(CHANNEL);
    expect(sub?.filters).toEqual({ minImpact: 'minor', components: ['Git Operations', 'API'] });
    expect(sub?.mention).toBe('here');
    expect(sub?.mentionMinImpact).toBe('minor');
  });

  it('pings on major incidents by default when no impact is given', async () => {
    const reply = await run({ service: 'github', mention: '<!subteam^S0456>' });
    expect(reply.text).toBe(
      "This channel now follows GitHub: all incidents; pings group S0456 on major and critical incidents.\nChecking GitHub's status page now: anything open will follow here.",
    );
  });

  it('updates the filters when subscribing again, keeping who created it', async () => {
    await run({ service: 'github' });
    const later = h.ctxFor(CHANNEL, { userId: 'U2' });
    const reply = await runCommand(subscribe, later, { service: 'github', impact: 'critical' });
    expect(reply.text).toBe("Updated this channel's GitHub subscription: critical incidents.");
    const subs = await h.test.store.listSubscriptionsForChannel(CHANNEL);
    expect(subs).toHaveLength(1);
    expect(subs[0]?.filters.minImpact).toBe('critical');
    expect(subs[0]?.createdBy).toBe('U1');
  });

  it('resumes a suspended subscription', async () => {
    await run({ service: 'github' });
    const [sub] = await h.test.store.listSubscriptionsForChannel(CHANNEL);
    if (!sub) throw new Error('no subscription');
    await h.test.store.putSubscription({
      ...sub,
      suspended: { at: NOW.toISOString(), reason: 'not_in_channel' },
    });
    const reply = await run({ service: 'github' });
    expect(reply.text).toBe(
      "Updated this channel's GitHub subscription: all incidents.\nIt was suspended; posting resumes now.",
    );
    const [after] = await h.test.store.listSubscriptionsForChannel(CHANNEL);
    expect(after?.suspended).toBeUndefined();
  });

  it('does not show hours-old state as open right now; it checks first', async () => {
    const old = stateOf('github', [incident('a', { impact: 'major' })]);
    old.health.lastOkAt = minutesAgo(180);
    old.lastPollAt = minutesAgo(180);
    await h.test.store.commitPoll(old, []);
    const polled: string[] = [];
    h.services.pollNow = (id) => polled.push(id);
    const reply = await run({ service: 'github' });
    expect(reply.text).toBe(
      "This channel now follows GitHub: all incidents.\nChecking GitHub's status page now: anything open will follow here.",
    );
    expect(await h.test.store.pendingDeliveries()).toBe(0);
    expect(polled).toEqual(['github']);
  });

  it('shows what is open right now as deliveries, and only once', async () => {
    await h.test.store.commitPoll(
      stateOf('github', [
        incident('a', { impact: 'major' }),
        incident('b', { impact: 'minor' }),
        incident('c', { status: 'resolved' }, { closedAt: NOW.toISOString() }),
      ]),
      [],
    );
    const reply = await run({ service: 'github' });
    expect(reply.text).toBe(
      'This channel now follows GitHub: all incidents.\n2 incidents open right now: threads follow.',
    );
    expect(await h.test.store.pendingDeliveries()).toBe(2);
    const claimed = await h.test.store.claimDeliveries({
      owner: 't',
      now: new Date(NOW.getTime() + 60_000),
      limit: 10,
      leaseMs: 60_000,
    });
    expect(claimed.map((d) => [d.event.type, d.event.subject.id, d.channel]).sort()).toEqual([
      ['started', 'a', CHANNEL],
      ['started', 'b', CHANNEL],
    ]);

    const again = await run({ service: 'github' });
    expect(again.text).toBe("Updated this channel's GitHub subscription: all incidents.");
    expect(await h.test.store.pendingDeliveries()).toBe(2);
  });

  it('posts nothing open right now into a muted channel, and says why', async () => {
    await h.test.store.commitPoll(stateOf('github', [incident('a')]), []);
    const until = new Date(NOW.getTime() + 3_600_000);
    await h.test.store.setMute(CHANNEL, until);
    const reply = await run({ service: 'github' });
    expect(reply.text).toBe(
      `This channel now follows GitHub: all incidents.\n1 incident open right now, not posted: this channel is muted until ${formatTime(until)}.`,
    );
    expect(await h.test.store.pendingDeliveries()).toBe(0);
  });

  it('counts maintenances apart from incidents', async () => {
    await h.test.store.commitPoll(
      stateOf('github', [
        incident('a'),
        incident('m', { kind: 'maintenance', status: 'in_progress', impact: 'none' }),
      ]),
      [],
    );
    const reply = await run({ service: 'github' });
    expect(reply.text).toContain('\n1 incident and 1 maintenance open right now: threads follow.');
    expect(await h.test.store.pendingDeliveries()).toBe(2);
  });

  it('applies the impact filter to what is open right now', async () => {
    await h.test.store.commitPoll(
      stateOf('github', [incident('a', { impact: 'major' }), incident('b', { impact: 'minor' })]),
      [],
    );
    const reply = await run({ service: 'github', impact: 'major' });
    expect(reply.text).toContain('\n1 incident open right now: threads follow.');
    expect(await h.test.store.pendingDeliveries()).toBe(1);
  });

  it('warns when the status page is unreachable instead of implying all clear', async () => {
    const state = stateOf('github', []);
    state.health = {
      consecutiveFailures: 3,
      lastOkAt: '2025-01-01T10:00:00.000Z',
      lastFailureAt: NOW.toISOString(),
      lastError: 'timeout',
    };
    await h.test.store.commitPoll(state, []);
    const reply = await run({ service: 'github' });
    expect(reply.text).toBe(
      "This channel now follows GitHub: all incidents.\nNote: GitHub status page unreachable since 2025-01-01 10:00 UTC (3 failed polls in a row); I'll post once it answers.",
    );
  });

  it("adopts the page's spelling of components and flags unknown ones", async () => {
    await h.test.store.commitPoll(
      stateOf('github', [], {
        api: { name: 'API Requests', status: 'operational', since: NOW.toISOString() },
        git: { name: 'Git Operations', status: 'operational', since: NOW.toISOString() },
      }),
      [],
    );
    const reply = await run({ service: 'github', components: 'git operations,Gti' });
    expect(reply.text).toBe(
      'This channel now follows GitHub: all incidents on Git Operations or Gti.\nNote: GitHub lists no component named "Gti" right now; see /outage status github.',
    );
    const [sub] = await h.test.store.listSubscriptionsForChannel(CHANNEL);
    expect(sub?.filters.components).toEqual(['Git Operations', 'Gti']);
  });
});
