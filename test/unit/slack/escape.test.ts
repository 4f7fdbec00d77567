import { describe, expect, it } from 'vitest';
import {
  cut,
  linkTo,
  mentionFor,
  mrkdwn,
  neutralizeBroadcasts,
  plainText,
} from '../../../adapters/slack/escape.js';

const WJ = '\u2060';

describe('Slack escaping of untrusted text', () => {
  it('escapes & < > so Slack tokens arrive as literal text', () => {
    expect(mrkdwn('<!channel> <!here> <!everyone> <@U123> <#C42> <!subteam^S1> a & b')).toBe(
      '&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@U123&gt; &lt;#C42&gt; &lt;!subteam^S1&gt; a &amp; b',
    );
    expect(mrkdwn('<https://evil.example|click me>')).toBe('&lt;https://evil.example|click me&gt;');
  });

  it('breaks bare @here, @channel and @everyone with an invisible joiner', () => {
    expect(neutralizeBroadcasts('ping @here and @Channel, @everyone!')).toBe(
      `ping @${WJ}here and @${WJ}Channel, @${WJ}everyone!`,
    );
    expect(neutralizeBroadcasts('mail ops@heresy.example')).toBe('mail ops@heresy.example');
  });

  it('removes nothing: what looks like a tag is literal text by now (sources strip HTML)', () => {
    expect(mrkdwn('Use the <api> endpoint, <strong>not</strong> <!channel>')).toBe(
      'Use the &lt;api&gt; endpoint, &lt;strong&gt;not&lt;/strong&gt; &lt;!channel&gt;',
    );
    expect(mrkdwn('1 < 2 and 3 > 2')).toBe('1 &lt; 2 and 3 &gt; 2');
  });

  it('keeps plain_text free of mention tokens, on one line, and literal', () => {
    expect(plainText('<api> outage for <!channel>\n@here <@U1>')).toBe(
      `<api> outage for <${WJ}!channel> @${WJ}here <${WJ}@U1>`,
    );
  });

  it('cuts to the limit without splitting an entity or a surrogate pair', () => {
    expect(cut('abcdef', 10)).toBe('abcdef');
    expect(cut('abcdef', 4)).toBe('abc…');
    expect(cut('ab&amp;cd', 5)).toBe('ab…');
    expect(cut('a😀b', 3)).toBe('a…');
    const long = mrkdwn('<'.repeat(5_000), 3_000);
    expect(long.length).toBeLessThanOrEqual(3_000);
    expect(long).toMatch(/^(&lt;)+…$/);
  });

  it('links only to http(s) URLs, with separators encoded', () => {
    expect(linkTo('https://status.example/i/1?a=1&b=2', 'Status')).toBe(
      '<https://status.example/i/1?a=1&amp;b=2|Status>',
    );
    expect(linkTo('https://x.example/a|b>c', '<!here> x|y')).toBe(
      '<https://x.example/a%7Cb%3Ec|&lt;!here&gt; x¦y>',
    );
    expect(linkTo('javascript:alert(1)', 'x')).toBeUndefined();
    expect(linkTo('not a url', 'x')).toBeUndefined();
    expect(linkTo(undefined, 'x')).toBeUndefined();
  });

  it('makes mentions only from a subscription, with validated ids', () => {
    expect(mentionFor('none')).toBe('');
    expect(mentionFor('here')).toBe('<!here>');
    expect(mentionFor('channel')).toBe('<!channel>');
    expect(mentionFor({ user: 'U024BE7LH' })).toBe('<@U024BE7LH>');
    expect(mentionFor({ role: 'SAZ94GDB8' })).toBe('<!subteam^SAZ94GDB8>');
    expect(mentionFor({ user: 'U1> <!everyone' })).toBe('');
    expect(mentionFor({ role: 'x' })).toBe('');
  });
});
