import { describe, expect, it } from 'vitest';
import { discordMentionSyntax } from '../../../adapters/discord/mention-syntax.js';
import { slackMentionSyntax } from '../../../adapters/slack/mention-syntax.js';
import { parseDuration } from '../../../commands/duration.js';
import { formatDuration, formatTime } from '../../../commands/format.js';
import {
  formatComponentList,
  formatMention,
  parseComponentList,
  parseImpact,
  parseMention,
} from '../../../commands/values.js';

const MIN = 60_000;

describe('parseDuration', () => {
  it.each([
    ['30m', 30 * MIN],
    ['2h', 120 * MIN],
    ['1d', 1440 * MIN],
    ['1h30m', 90 * MIN],
    ['1h 30m', 90 * MIN],
    ['90 minutes', 90 * MIN],
    ['2 hours', 120 * MIN],
    ['1w', 7 * 1440 * MIN],
    ['30d', 30 * 1440 * MIN],
    ['1M', 1 * MIN],
    [' 45min ', 45 * MIN],
  ])('%j -> %d ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  it.each([
    ['', 'give a duration like 30m, 2h, 1d or 1h30m'],
    ['30', '"30" has no unit: give a duration like 30m, 2h, 1d or 1h30m'],
    ['2 fortnights', '"fortnights" is not a unit: give a duration like 30m, 2h, 1d or 1h30m'],
    ['soon', '"soon" is not a duration: give a duration like 30m, 2h, 1d or 1h30m'],
    ['-1h', '"-1h" is not a duration: give a duration like 30m, 2h, 1d or 1h30m'],
    ['1.5h', '"1.5h" is not a duration: give a duration like 30m, 2h, 1d or 1h30m'],
    ['0m', 'the duration must be at least 1 minute: give a duration like 30m, 2h, 1d or 1h30m'],
    ['31d', 'a mute lasts at most 30 days; use unsubscribe to stop for good'],
    ['5w', 'a mute lasts at most 30 days; use unsubscribe to stop for good'],
  ])('%j is refused', (text, reason) => {
    expect(parseDuration(text)).toEqual({ ok: false, reason });
  });
});

describe('formatDuration and formatTime', () => {
  it.each([
    [30 * MIN, '30m'],
    [90 * MIN, '1h 30m'],
    [1440 * MIN, '1d'],
    [(1440 + 61) * MIN, '1d 1h 1m'],
  ])('%d -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('prints UTC to the minute', () => {
    expect(formatTime('2025-03-04T05:06:59.000Z')).toBe('2025-03-04 05:06 UTC');
    expect(formatTime('not a time')).toBe('not a time');
  });
});

describe('parseImpact', () => {
  it('takes the four impacts in any case', () => {
    expect(parseImpact('MAJOR')).toEqual({ ok: true, value: 'major' });
    expect(parseImpact('none')).toEqual({ ok: true, value: 'none' });
  });
  it('names the allowed values on a bad one', () => {
    expect(parseImpact('huge')).toEqual({
      ok: false,
      reason: 'the minimum impact must be one of none, minor, major, critical (got "huge")',
    });
  });
});

describe('parseComponentList', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['API', ['API']],
    ['"Git Operations",API', ['Git Operations', 'API']],
    ['Git Operations, API , Webhooks', ['Git Operations', 'API', 'Webhooks']],
    ['“Actions, Packages”,API', ['Actions, Packages', 'API']],
    ['API,api,,', ['API']],
  ])('%j', (text, names) => {
    expect(parseComponentList(text)).toEqual(names);
  });

  it('round-trips through formatComponentList', () => {
    const names = ['Actions, Packages', 'Git Operations', 'API'];
    expect(parseComponentList(formatComponentList(names))).toEqual(names);
  });
});

describe('parseMention', () => {
  it.each([
    ['@here', 'here'],
    ['<!here>', 'here'],
    ['<!here|here>', 'here'],
    ['here', 'here'],
    ['@channel', 'channel'],
    ['<!channel>', 'channel'],
    ['none', 'none'],
    ['<@U0123>', { user: 'U0123' }],
    ['<@U0123|bob>', { user: 'U0123' }],
    ['<!subteam^S0456|@oncall>', { role: 'S0456' }],
  ])('Slack: %j', (text, value) => {
    expect(parseMention(text, slackMentionSyntax)).toEqual({ ok: true, value });
  });

  it.each([
    ['@here', 'here'],
    ['@channel', 'channel'],
    ['none', 'none'],
    ['<@&112233>', { role: '112233' }],
    ['<@445566>', { user: '445566' }],
    ['<@!445566>', { user: '445566' }],
  ])('Discord: %j', (text, value) => {
    expect(parseMention(text, discordMentionSyntax)).toEqual({ ok: true, value });
  });

  it.each([
    ['@everyone', 'the bot does not ping @everyone; use @here or @channel'],
    ['<!everyone>', 'the bot does not ping @everyone; use @here or @channel'],
    [
      '@bob',
      'I can\'t tell who "@bob" is: pick the person or group from the mention menu so the platform sends its id, or use @here or @channel',
    ],
    ['bob', '"bob" is not a mention: use @here, @channel, a user or a group'],
  ])('%j is refused', (text, reason) => {
    expect(parseMention(text, slackMentionSyntax)).toEqual({ ok: false, reason });
  });

  // A Slack group id would go out as a Discord role ping `<@&S0456>` (and a Discord role as a
  // Slack `<!subteam^112233>`): neither pings anyone, so the subscription must be refused.
  it.each([
    ['<!subteam^S0456|@oncall>', discordMentionSyntax],
    ['<!here>', discordMentionSyntax],
    ['<@&112233>', slackMentionSyntax],
    ['<@!445566>', slackMentionSyntax],
  ])("%j is not this platform's markup", (text, syntax) => {
    expect(parseMention(text, syntax)).toEqual({
      ok: false,
      reason: `"${text}" is not a mention: use @here, @channel, a user or a group`,
    });
  });

  it.each([
    ['Slack', slackMentionSyntax, [{ user: 'U1' }, { role: 'S1' }]],
    ['Discord', discordMentionSyntax, [{ user: '445566' }, { role: '123' }]],
  ] as const)('%s reads its own canonical form back', (_, syntax, ids) => {
    for (const m of ['none', 'here', 'channel', ...ids] as const) {
      expect(parseMention(formatMention(m, syntax), syntax)).toEqual({ ok: true, value: m });
    }
  });
});
