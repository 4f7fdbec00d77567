import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { mentionSyntaxes, PLATFORMS } from '../../../adapters/registry.js';
import { createSlackAdapter } from '../../../adapters/slack/slack-adapter.js';
import { COMMANDS } from '../../../commands/registry.js';
import { MemoryCatalog } from '../../../src/sources/memory-catalog.js';
import { FakeSlack } from '../../fakes/slack/fake-slack.js';
import { slashCommandFields } from '../../fakes/slack/signer.js';
import { createTestStore } from '../../helpers/stores.js';
import { type Harness, startHarness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Slack Socket Mode against the fake', () => {
  it('opens a connection with the app token, gets hello, and acks a slash command with the reply', async () => {
    h = await startHarness({ socket: true });
    expect(h.adapter.routes).toEqual([]);
    const open = h.slack.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.ok).toBe(true);
    expect(h.slack.socket.hellos).toHaveLength(1);

    const ack = await h.slack.socket.slashCommand(
      slashCommandFields({ text: 'subscribe github', responseUrl: h.slack.responseUrl() }),
    );
    expect(ack.payload?.response_type).toBe('in_channel');
    expect(String(ack.payload?.text)).toMatch(/GitHub/);
    expect(ack.latencyMs).toBeLessThan(3_000);
    const subs = await h.store.store.listSubscriptionsForChannel({
      platform: 'slack',
      workspaceId: 'T0FAKE',
      channelId: 'C0GENERAL',
    });
    expect(subs.map((s) => s.serviceId)).toEqual(['github']);
  });

  it('reconnects when Slack asks it to, and keeps answering', async () => {
    h = await startHarness({ socket: true });
    const slack = h.slack;
    slack.socket.disconnect();
    await slack.waitFor(() => slack.socket.hellos.length === 2, 'a second hello', 15_000);
    await slack.waitFor(() => slack.socket.connections.length === 1, 'one live connection');
    const ack = await slack.socket.slashCommand(slashCommandFields({ text: 'help' }));
    expect(ack.payload?.response_type).toBe('ephemeral');
  });

  it('fails start-up on an app token Slack refuses', async () => {
    const slack = await FakeSlack.start();
    const store = await createTestStore('embedded');
    try {
      const adapter = createSlackAdapter({
        botToken: slack.botToken,
        appToken: 'xapp-wrong',
        apiUrl: slack.apiUrl,
        logger: pino({ level: 'silent' }),
        commands: COMMANDS,
        services: {
          store: store.store,
          catalog: new MemoryCatalog([]),
          now: () => new Date(),
          managePolicy: 'managers',
          mentionSyntaxes: mentionSyntaxes(PLATFORMS),
        },
        tuning: { socketRetry: { retries: 0 }, socketConnectTimeoutMs: 5_000 },
      });
      await expect(adapter.start()).rejects.toThrow(/SLACK_APP_TOKEN/);
      await adapter.stop().catch(() => undefined);
    } finally {
      await slack.close();
      await store.cleanup();
    }
  });
});
