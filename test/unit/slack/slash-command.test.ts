import { afterEach, describe, expect, it } from 'vitest';
import type { SigningMode } from '../../fakes/slack/signer.js';
import { postSlashCommand, slashCommandFields } from '../../fakes/slack/signer.js';
import { type Harness, type HarnessOptions, SIGNING_SECRET, startHarness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const channel = { platform: 'slack' as const, workspaceId: 'T0FAKE', channelId: 'C0GENERAL' };

async function command(text: string, opts: { user?: string; mode?: SigningMode } = {}) {
  if (!h) throw new Error('no harness');
  const res = await postSlashCommand({
    url: h.eventsUrl,
    signingSecret: SIGNING_SECRET,
    fields: slashCommandFields({
      text,
      userId: opts.user ?? 'U0ADMIN',
      responseUrl: h.slack.responseUrl(),
    }),
    mode: opts.mode ?? 'valid',
  });
  const body = await res.text();
  return { status: res.status, body, json: body.startsWith('{') ? JSON.parse(body) : undefined };
}

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness(options);
  return h;
}

describe('Slack /outage over HTTP (signed requests)', () => {
  it('answers a signed subscribe with a confirmation in the channel and saves it', async () => {
    const harness = await start();
    const res = await command('subscribe github');
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('in_channel');
    expect(res.json.text).toMatch(/GitHub/);
    expect(Array.isArray(res.json.blocks)).toBe(true);
    const subs = await harness.store.store.listSubscriptionsForChannel(channel);
    expect(subs.map((s) => s.serviceId)).toEqual(['github']);
    expect(subs[0]?.createdBy).toBe('U0ADMIN');
  });

  it.each<SigningMode>(['unsigned', 'bad-signature', 'wrong-secret', 'stale'])(
    'refuses a %s request with 401 and runs nothing',
    async (mode) => {
      const harness = await start();
      const callsBefore = harness.slack.calls.length;
      const res = await command('subscribe github', { mode });
      expect(res.status).toBe(401);
      expect(res.body).toBe('');
      expect(await harness.store.store.listSubscriptionsForChannel(channel)).toEqual([]);
      // Not even the admin check ran.
      expect(harness.slack.calls.slice(callsBefore)).toEqual([]);
      expect(harness.slack.responses).toEqual([]);
    },
  );

  it('lets workspace admins and allowlisted users manage, and refuses other members', async () => {
    const harness = await start({ managers: ['U0FRIEND'] });
    const refused = await command('subscribe github', { user: 'U0MEMBER' });
    expect(refused.status).toBe(200);
    expect(refused.json.response_type).toBe('ephemeral');
    expect(refused.json.text).toMatch(/can't change/i);
    expect(await harness.store.store.listSubscriptionsForChannel(channel)).toEqual([]);

    const friend = await command('subscribe github', { user: 'U0FRIEND' });
    expect(friend.json.response_type).toBe('in_channel');
    // The allowlist needs no users.info; the member's answer is cached.
    await command('subscribe github', { user: 'U0MEMBER' });
    const lookups = harness.slack.callsTo('users.info').map((c) => c.args.user);
    expect(lookups).toEqual(['U0MEMBER']);
  });

  it('lets everyone manage under the everyone policy, without asking Slack', async () => {
    const harness = await start({ services: { managePolicy: 'everyone' } });
    const res = await command('subscribe github', { user: 'U0MEMBER' });
    expect(res.json.response_type).toBe('in_channel');
    expect(harness.slack.callsTo('users.info')).toEqual([]);
  });

  it('answers queries to anyone, privately', async () => {
    await start();
    const res = await command('help', { user: 'U0MEMBER' });
    expect(res.json.response_type).toBe('ephemeral');
    expect(res.json.text.length).toBeGreaterThan(0);
  });

  it.each([
    ['subscribe', /subscribe/i],
    ['subscrbe github', /did you mean/i],
    ['subscribe githib', /did you mean/i],
    ['mute forever-ish', /not a duration/],
  ])('answers malformed input %j with a short helpful reply', async (text, pattern) => {
    await start();
    const res = await command(text);
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('ephemeral');
    expect(res.json.text).toMatch(pattern);
    expect(res.json.text).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('acks a slow command at once and sends the answer to response_url', async () => {
    const harness = await start({
      tuning: { ackBudgetMs: 100 },
      services: {
        managePolicy: 'everyone',
        resolveStatusPageUrl: async () => {
          await new Promise((r) => setTimeout(r, 400));
          return { ok: false, reason: 'that page did not answer like a status page' };
        },
      },
    });
    const res = await command('subscribe https://status.example.com');
    expect(res.json.text).toMatch(/working on it/i);
    await harness.slack.waitFor(() => harness.slack.responses.length === 1, 'the late reply');
    const late = harness.slack.responses[0]?.body as { text: string; response_type: string };
    expect(late.response_type).toBe('ephemeral');
    expect(late.text).toMatch(/did not answer like a status page/);
  });
});
