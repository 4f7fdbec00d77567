import { describe, expect, it } from 'vitest';
import {
  buildCommandJson,
  type CommandJson,
  commandsDiffer,
} from '../../../adapters/discord/command-definitions.js';
import { mentionPayload } from '../../../adapters/discord/mentions.js';
import { REPLY_COLORS, renderReply } from '../../../adapters/discord/render-reply.js';
import { COMMANDS } from '../../../commands/registry.js';

describe('command replies as embeds', () => {
  it('renders title, text and linked items, escaped', () => {
    expect(
      renderReply({
        visibility: 'ephemeral',
        title: 'Subscriptions',
        text: 'This channel follows 2 services:',
        items: [
          { label: 'GitHub', detail: 'min impact minor', url: 'https://www.githubstatus.com' },
          { label: 'A*B @everyone' },
        ],
      }),
    ).toEqual({
      title: 'Subscriptions',
      description:
        'This channel follows 2 services:\n• [GitHub](https://www.githubstatus.com/): min impact minor\n• **A\\*B @\u200beveryone**',
      color: REPLY_COLORS.normal,
    });
  });

  it('styles errors and escapes echoed user input', () => {
    expect(
      renderReply({
        visibility: 'ephemeral',
        text: 'Unknown service "<@&123456789012345678>"',
        error: true,
      }),
    ).toEqual({
      description: 'Unknown service "\\<@&123456789012345678\\>"',
      color: REPLY_COLORS.error,
    });
  });

  it('summarizes items that do not fit the description limit', () => {
    const items = Array.from({ length: 400 }, (_, i) => ({
      label: `service-${i}`,
      detail: 'x'.repeat(20),
    }));
    const embed = renderReply({ visibility: 'ephemeral', text: 'Known services:', items });
    expect(embed.description?.length).toBeLessThanOrEqual(4096);
    expect(embed.description).toMatch(/\n…and \d+ more$/);
  });
});

describe('mentions', () => {
  it('pings only what a subscription asked for, with explicit allowed_mentions', () => {
    expect(mentionPayload('none')).toEqual({ allowed_mentions: { parse: [] } });
    expect(mentionPayload('here')).toEqual({
      content: '@here',
      allowed_mentions: { parse: ['everyone'] },
    });
    expect(mentionPayload('channel')).toEqual({
      content: '@everyone',
      allowed_mentions: { parse: ['everyone'] },
    });
    expect(mentionPayload({ role: '123456789012345678' })).toEqual({
      content: '<@&123456789012345678>',
      allowed_mentions: { parse: [], roles: ['123456789012345678'] },
    });
    expect(mentionPayload({ user: '223456789012345678' })).toEqual({
      content: '<@223456789012345678>',
      allowed_mentions: { parse: [], users: ['223456789012345678'] },
    });
  });

  it('pings nobody for a role or user that is not a Discord id (e.g. a Slack one)', () => {
    expect(mentionPayload({ role: 'S0123' })).toEqual({ allowed_mentions: { parse: [] } });
    expect(mentionPayload({ user: 'U0123' })).toEqual({ allowed_mentions: { parse: [] } });
  });
});

describe('/outage definition', () => {
  const json = buildCommandJson(COMMANDS);
  const sub = (name: string) => json.options.find((o) => o.name === name);

  it('has one subcommand per command, open at the top level, guild-only', () => {
    expect(json.name).toBe('outage');
    expect(json.default_member_permissions).toBeNull();
    expect(json.contexts).toEqual([0]);
    expect(json.options.map((o) => o.name)).toEqual(COMMANDS.map((c) => c.name));
    for (const o of json.options) {
      expect(o.type).toBe(1);
      expect(o.description.length).toBeGreaterThan(0);
      expect(o.description.length).toBeLessThanOrEqual(100);
    }
  });

  it('types subscribe: autocomplete on the service, choices for the impact, required first', () => {
    const subscribe = sub('subscribe');
    expect(subscribe?.options?.[0]).toMatchObject({
      name: 'service',
      type: 3,
      required: true,
      autocomplete: true,
    });
    expect(subscribe?.options?.find((o) => o.name === 'impact')).toMatchObject({
      type: 3,
      required: false,
      choices: ['none', 'minor', 'major', 'critical'].map((c) => ({ name: c, value: c })),
    });
    const requiredFlags = (subscribe?.options ?? []).map((o) => o.required);
    expect(requiredFlags).toEqual([...requiredFlags].sort((a, b) => Number(b) - Number(a)));
  });

  it('detects changes, and ignores what Discord adds or omits', () => {
    const asDiscordReturnsIt = {
      ...json,
      id: '1',
      application_id: '2',
      version: '3',
      nsfw: false,
      options: json.options.map((o) => ({
        ...o,
        options: o.options?.map(({ required, autocomplete, ...rest }) => ({
          ...rest,
          ...(required ? { required } : {}),
          ...(autocomplete ? { autocomplete } : {}),
        })),
      })),
    } as unknown as CommandJson;
    expect(commandsDiffer([asDiscordReturnsIt], [json])).toBe(false);
    expect(commandsDiffer([], [json])).toBe(true);
    const renamed = {
      ...json,
      options: json.options.map((o, i) => (i === 0 ? { ...o, description: 'changed' } : o)),
    };
    expect(commandsDiffer([renamed], [json])).toBe(true);
  });
});
