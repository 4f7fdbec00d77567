import { describe, expect, it } from 'vitest';
import { slackMentionSyntax } from '../../../adapters/slack/mention-syntax.js';
import { parseCommandText } from '../../../commands/parse-text.js';

const slack = { mentions: slackMentionSyntax };

const ok = (text: string) => {
  const parsed = parseCommandText(text, slack);
  if (!parsed.ok) throw new Error(`expected ${text} to parse, got: ${parsed.reply.text}`);
  return { command: parsed.command.name, options: parsed.options };
};

const fail = (text: string): string => {
  const parsed = parseCommandText(text, slack);
  if (parsed.ok) throw new Error(`expected ${text} to fail, got ${parsed.command.name}`);
  expect(parsed.reply.visibility).toBe('ephemeral');
  expect(parsed.reply.error).toBe(true);
  return parsed.reply.text;
};

describe('parseCommandText: accepted input', () => {
  it.each<[string, string, Record<string, string>]>([
    ['', 'help', {}],
    ['   ', 'help', {}],
    ['help', 'help', {}],
    ['HELP Subscribe', 'help', { command: 'Subscribe' }],
    ['list', 'list', {}],
    ['List', 'list', {}],
    ['status', 'status', {}],
    ['status github', 'status', { service: 'github' }],
    ['status google cloud', 'status', { service: 'google cloud' }],
    ['status "Google Cloud"', 'status', { service: 'Google Cloud' }],
    ['history google cloud 30', 'history', { service: 'google cloud 30' }],
    ['services', 'services', {}],
    ['services cloud', 'services', { query: 'cloud' }],
    ['services new relic', 'services', { query: 'new relic' }],
    ['unsubscribe github', 'unsubscribe', { service: 'github' }],
    ['unsubscribe all', 'unsubscribe', { service: 'all' }],
    ['mute 30m', 'mute', { duration: '30m' }],
    ['mute 1h 30m', 'mute', { duration: '1h 30m' }],
    ['unmute', 'unmute', {}],
    ['unmute github', 'unmute', { service: 'github' }],
    ['digest', 'digest', {}],
    ['digest off', 'digest', { mode: 'off' }],
    [
      'digest weekly fri 17 Europe/Berlin',
      'digest',
      { mode: 'weekly', day: 'fri', hour: '17', timezone: 'Europe/Berlin' },
    ],
    ['subscribe github', 'subscribe', { service: 'github' }],
    ['  subscribe   github  ', 'subscribe', { service: 'github' }],
    ['subscribe GitHub Major', 'subscribe', { service: 'GitHub', impact: 'major' }],
    ['subscribe facebook official', 'subscribe', { service: 'facebook', signals: 'official' }],
    [
      'subscribe facebook @here official major',
      'subscribe',
      { service: 'facebook', mention: '@here', signals: 'official', impact: 'major' },
    ],
    ['subscribe github none', 'subscribe', { service: 'github', impact: 'none' }],
    ['subscribe github critical', 'subscribe', { service: 'github', impact: 'critical' }],
    ['subscribe github API', 'subscribe', { service: 'github', components: 'API' }],
    [
      'subscribe github minor "Git Operations",API @here',
      'subscribe',
      { service: 'github', impact: 'minor', components: 'Git Operations,API', mention: '@here' },
    ],
    [
      'subscribe github "Git Operations", API',
      'subscribe',
      { service: 'github', components: 'Git Operations,API' },
    ],
    [
      'subscribe github Git Operations,API',
      'subscribe',
      { service: 'github', components: 'Git Operations,API' },
    ],
    [
      'subscribe github API major Webhooks',
      'subscribe',
      { service: 'github', impact: 'major', components: 'API,Webhooks' },
    ],
    [
      'subscribe github @channel major API',
      'subscribe',
      { service: 'github', impact: 'major', components: 'API', mention: '@channel' },
    ],
    ['subscribe github <!here>', 'subscribe', { service: 'github', mention: '@here' }],
    ['subscribe github <!here|here>', 'subscribe', { service: 'github', mention: '@here' }],
    ['subscribe github <!channel>', 'subscribe', { service: 'github', mention: '@channel' }],
    ['subscribe github <@U0123ABC>', 'subscribe', { service: 'github', mention: '<@U0123ABC>' }],
    [
      'subscribe github <@U0123ABC|bob>',
      'subscribe',
      { service: 'github', mention: '<@U0123ABC>' },
    ],
    [
      'subscribe github <!subteam^S0456|@oncall> major',
      'subscribe',
      { service: 'github', impact: 'major', mention: '<!subteam^S0456>' },
    ],
    [
      'subscribe github “Git Operations”,API',
      'subscribe',
      { service: 'github', components: 'Git Operations,API' },
    ],
    [
      'subscribe github "Actions, Packages",API',
      'subscribe',
      { service: 'github', components: '"Actions, Packages",API' },
    ],
    ['subscribe "Google Cloud" major', 'subscribe', { service: 'Google Cloud', impact: 'major' }],
    [
      'subscribe https://status.example.com',
      'subscribe',
      { service: 'https://status.example.com' },
    ],
    [
      'subscribe <https://status.example.com|status.example.com> critical',
      'subscribe',
      { service: 'https://status.example.com', impact: 'critical' },
    ],
    ['subscribe github "major"', 'subscribe', { service: 'github', components: 'major' }],
    [
      'subscribe github R&amp;D &lt;eu&gt;',
      'subscribe',
      { service: 'github', components: 'R&D <eu>' },
    ],
  ])('%j', (text, command, options) => {
    expect(ok(text)).toEqual({ command, options });
  });
});

describe('parseCommandText: helpful errors', () => {
  it('suggests the nearest subcommand', () => {
    expect(fail('subscibe github')).toBe(
      'I don\'t know the subcommand "subscibe".\nDid you mean subscribe?\nSubcommands: subscribe, unsubscribe, list, status, history, services, report, mute, unmute, digest, help. /outage help shows examples.',
    );
  });

  it.each([
    ['unsub github', 'Did you mean unsubscribe?'],
    ['stauts', 'Did you mean status?'],
    ['serivces', 'Did you mean services?'],
    ['lst', 'Did you mean list?'],
  ])('%s -> %s', (text, hint) => {
    expect(fail(text)).toContain(hint);
  });

  it('lists the subcommands when nothing is close', () => {
    const text = fail('github');
    expect(text).not.toContain('Did you mean');
    expect(text).toContain(
      'Subcommands: subscribe, unsubscribe, list, status, history, services, report, mute',
    );
  });

  it('names the missing option with usage and an example', () => {
    expect(fail('subscribe')).toBe(
      '/outage subscribe needs a service.\nUsage: /outage subscribe <service> [impact] [components] [mention] [signals]\nExample: /outage subscribe github',
    );
    expect(fail('mute')).toBe(
      '/outage mute needs a duration.\nUsage: /outage mute <duration>\nExample: /outage mute 2h',
    );
    expect(fail('unsubscribe')).toContain('/outage unsubscribe needs a service.');
  });

  it('refuses arguments a subcommand does not take', () => {
    expect(fail('list github')).toBe(
      '/outage list takes no arguments (got "github").\nUsage: /outage list\nExample: /outage list',
    );
  });

  it.each([
    ['subscribe github minor major', 'two minimum impacts given (minor and major); pick one'],
    ['subscribe github @here @channel', 'give at most one mention'],
    ['subscribe github @everyone', 'the bot does not ping @everyone; use @here or @channel'],
    ['subscribe github <!everyone>', 'the bot does not ping @everyone'],
    ['subscribe github @bob', 'I can\'t tell who "@bob" is'],
    [
      'subscribe github <#C0123|ops>',
      'threads go to the channel you run this in, so leave out #ops',
    ],
    ['subscribe <#C0123|ops>', "Can't subscribe to a channel (#ops)"],
    ['subscribe github https://x.example', 'give one service or status page URL per subscribe'],
    ['subscribe major github', 'put the service first, then "major"'],
  ])('%s', (text, message) => {
    const reply = fail(text);
    expect(reply).toContain(message);
    expect(reply).toContain('\nUsage: /outage subscribe <service> [impact] [components] [mention]');
  });

  it('never throws on odd input', () => {
    for (const text of [
      '<',
      '>',
      '<>',
      '"',
      ',,,',
      'subscribe ,',
      'subscribe "',
      '<!here>',
      '\u0000',
    ]) {
      expect(() => parseCommandText(text, slack)).not.toThrow();
    }
    expect(fail('subscribe ,')).toContain('needs a service');
  });

  it('cuts long echoed input', () => {
    const text = fail(`x${'y'.repeat(500)}`);
    expect(text.length).toBeLessThan(300);
    expect(text).toContain('…');
  });
});
