import { describe, expect, it } from 'vitest';
import type { CommandOptions } from '../../../commands/command.js';
import { runCommand } from '../../../commands/registry.js';
import { CHANNEL, createHarness, harnessPerTest, registered } from './command-fixtures.js';

const subscribe = registered('subscribe');

describe('subscribe: bad input, URLs and permissions', () => {
  const h = harnessPerTest();

  const run = (options: CommandOptions, harness = h) => runCommand(subscribe, harness.ctx, options);

  it('suggests the nearest service on a miss and stores nothing', async () => {
    const reply = await run({ service: 'githib' });
    expect(reply).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: 'I don\'t know a service called "githib".\nDid you mean GitHub?\n/outage services <query> searches the services I know.',
    });
    expect(await h.test.store.listSubscriptionsForChannel(CHANNEL)).toEqual([]);
  });

  it('shows the id to type when it differs from the name', async () => {
    const reply = await run({ service: 'google clod' });
    expect(reply.text).toContain('Did you mean google-cloud (Google Cloud)?');
  });

  it.each([
    [
      { impact: 'huge' },
      'Can\'t subscribe: the minimum impact must be one of none, minor, major, critical (got "huge").',
    ],
    [
      { mention: '@everyone' },
      "Can't subscribe: the bot does not ping @everyone; use @here or @channel.",
    ],
    [
      { mention: 'bob' },
      'Can\'t subscribe: "bob" is not a mention: use @here, @channel, a user or a group.',
    ],
  ])('refuses bad options %j', async (extra, text) => {
    const reply = await run({ service: 'github', ...extra });
    expect(reply).toEqual({ visibility: 'ephemeral', error: true, text });
    expect(await h.test.store.listSubscriptionsForChannel(CHANNEL)).toEqual([]);
  });

  it('says URL subscriptions are off when the bot has no resolver', async () => {
    const reply = await run({ service: 'https://status.example.com' });
    expect(reply.text).toBe(
      'Subscribing by status page URL is turned off on this bot. Pick a known service (/outage services) or ask the operator to add the page to SERVICES_FILE.',
    );
    expect(reply.error).toBe(true);
  });

  it('subscribes by URL through the resolver', async () => {
    const seen: string[] = [];
    const withUrls = await createHarness({
      resolveStatusPageUrl: async (url) => {
        seen.push(url);
        if (url.includes('bad')) return { ok: false, reason: 'It did not answer as a Statuspage.' };
        withUrls.catalog.add({
          id: 'status-acme-example',
          name: 'status.acme.example',
          aliases: [],
          sources: [{ kind: 'statuspage', url }],
          trusted: false,
        });
        return { ok: true, serviceId: 'status-acme-example' };
      },
    });
    try {
      const good = await run({ service: 'https://status.acme.example' }, withUrls);
      expect(good.text).toBe(
        "This channel now follows status.acme.example: all incidents.\nChecking status.acme.example's status page now: anything open will follow here.",
      );
      const bad = await run({ service: 'https://bad.example' }, withUrls);
      expect(bad).toEqual({
        visibility: 'ephemeral',
        error: true,
        text: 'Can\'t use "https://bad.example". It did not answer as a Statuspage.',
      });
      expect(seen).toEqual(['https://status.acme.example', 'https://bad.example']);
    } finally {
      await withUrls.test.cleanup();
    }
  });

  it('hints at a full URL when a bare domain is given and URLs are enabled', async () => {
    const withUrls = await createHarness({
      resolveStatusPageUrl: async () => ({ ok: false, reason: 'unused' }),
    });
    try {
      const reply = await run({ service: 'status.acme.example' }, withUrls);
      expect(reply.text).toContain(
        'If that is a status page, give its full address: https://status.acme.example',
      );
    } finally {
      await withUrls.test.cleanup();
    }
  });

  it('is refused for non-managers under the managers policy', async () => {
    const strict = await createHarness({ managePolicy: 'managers' });
    try {
      const reply = await runCommand(subscribe, strict.ctxFor(CHANNEL, { canManage: false }), {
        service: 'github',
      });
      expect(reply.error).toBe(true);
      expect(reply.visibility).toBe('ephemeral');
      expect(reply.text).toContain(
        "You can't change this channel's subscriptions, mutes or weekly digest",
      );
      expect(await strict.test.store.listSubscriptionsForChannel(CHANNEL)).toEqual([]);
      const allowed = await runCommand(subscribe, strict.ctx, { service: 'github' });
      expect(allowed.visibility).toBe('in_channel');
    } finally {
      await strict.test.cleanup();
    }
  });
});
