import { describe, expect, it } from 'vitest';
import { COMMANDS, runCommand } from '../../../commands/registry.js';
import { SERVICES_SHOWN } from '../../../commands/services.js';
import { harnessPerTest, registered } from './command-fixtures.js';

const services = registered('services');
const help = registered('help');
const subscribe = registered('subscribe');

describe('services', () => {
  const h = harnessPerTest();

  it('lists every known service with ids, aliases and what this channel follows', async () => {
    await runCommand(subscribe, h.ctx, { service: 'github' });
    const reply = await runCommand(services, h.ctx, {});
    expect(reply).toEqual({
      visibility: 'ephemeral',
      title: 'Services',
      text: 'I know 5 services.\nFollow one with /outage subscribe <id>.',
      items: [
        { label: 'Cloudflare', detail: 'id cloudflare; also cf' },
        { label: 'Discord', detail: 'id discord' },
        { label: 'GitHub', detail: 'id github; also gh; followed here' },
        { label: 'Google Cloud', detail: 'id google-cloud; also gcp' },
        { label: 'New Relic', detail: 'id newrelic' },
      ],
    });
  });

  it('searches by query', async () => {
    const reply = await runCommand(services, h.ctx, { query: 'cloud' });
    expect(reply.text).toBe('2 services match "cloud".\nFollow one with /outage subscribe <id>.');
    expect(reply.items?.map((i) => i.label).sort()).toEqual(['Cloudflare', 'Google Cloud']);
  });

  it('caps the list and says how many more there are', async () => {
    for (let i = 0; i < 30; i++) {
      const n = String(i).padStart(2, '0');
      h.catalog.add({
        id: `acme-${n}`,
        name: `Acme ${n}`,
        aliases: [],
        sources: [],
        trusted: true,
      });
    }
    const reply = await runCommand(services, h.ctx, { query: 'acme' });
    expect(reply.items).toHaveLength(SERVICES_SHOWN);
    expect(reply.text).toBe(
      `30 services match "acme".\nShowing ${SERVICES_SHOWN}; ${30 - SERVICES_SHOWN} more. Narrow it down with /outage services <query>.\nFollow one with /outage subscribe <id>.`,
    );
  });

  it('says when nothing matches, and offers URLs when they are enabled', async () => {
    expect(await runCommand(services, h.ctx, { query: 'zzzzzz' })).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: 'No service matches "zzzzzz".',
    });
    h.services.resolveStatusPageUrl = async () => ({ ok: false, reason: 'unused' });
    const reply = await runCommand(services, h.ctx, { query: 'zzzzzz' });
    expect(reply.text).toBe(
      'No service matches "zzzzzz".\n/outage subscribe also takes a status page URL, e.g. /outage subscribe https://status.example.com',
    );
  });
});

describe('help', () => {
  const h = harnessPerTest();

  it('lists every subcommand with its usage and examples', async () => {
    const reply = await runCommand(help, h.ctx, {});
    expect(reply.visibility).toBe('ephemeral');
    expect(reply.items?.map((i) => i.label)).toEqual([
      '/outage subscribe <service> [impact] [components] [mention] [signals]',
      '/outage unsubscribe <service>',
      '/outage list',
      '/outage status [service]',
      '/outage history <service> [days]',
      '/outage services [query]',
      '/outage report <service> [details]',
      '/outage mute <duration>',
      '/outage unmute [service]',
      '/outage digest [mode] [day] [hour] [timezone]',
      '/outage help [command]',
    ]);
    expect(reply.items?.[7]).toEqual({
      label: '/outage mute <duration>',
      detail:
        'Pause incident messages in this channel for a while (at most 30 days). Example: /outage mute 2h, /outage mute 1h30m, /outage mute 1d',
    });
  });

  it('explains one subcommand', async () => {
    const reply = await runCommand(help, h.ctx, { command: 'Unsubscribe' });
    expect(reply).toEqual({
      visibility: 'ephemeral',
      title: '/outage unsubscribe',
      text: [
        'Stop following a service in this channel, or every service with "all".',
        'Usage: /outage unsubscribe <service>',
        'service: Service id, name or alias, or "all"',
        'Needs permission to manage this channel if the operator limits it.',
        'Examples:',
        '/outage unsubscribe github',
        '/outage unsubscribe all',
      ].join('\n'),
    });
  });

  it('suggests a subcommand on a typo', async () => {
    const reply = await runCommand(help, h.ctx, { command: 'subscrbe' });
    expect(reply).toEqual({
      visibility: 'ephemeral',
      error: true,
      text: 'There is no "subscrbe" command. Did you mean subscribe? Commands: subscribe, unsubscribe, list, status, history, services, report, mute, unmute, digest, help.',
    });
  });

  it('has usage and at least one example for every command', () => {
    for (const def of COMMANDS) {
      expect(def.examples.length, def.name).toBeGreaterThan(0);
      expect(
        def.examples.every((e) => e.startsWith(def.name)),
        def.name,
      ).toBe(true);
    }
  });
});
