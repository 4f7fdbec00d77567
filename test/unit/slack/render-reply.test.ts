import { describe, expect, it } from 'vitest';
import { renderCommandReply } from '../../../adapters/slack/render-reply.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('Slack rendering of command replies', () => {
  it('renders a titled list with links and details, in the channel', () => {
    expect(
      renderCommandReply({
        visibility: 'in_channel',
        title: 'Subscribed to GitHub',
        text: 'This channel gets a thread per incident.',
        items: [
          {
            label: 'Actions outage',
            detail: 'major, investigating',
            url: 'https://githubstatus.com/i/1',
          },
          { label: 'Webhooks <delayed>' },
        ],
      }),
    ).toEqual({
      response_type: 'in_channel',
      text: 'Subscribed to GitHub: This channel gets a thread per incident.',
      blocks: [
        section('*Subscribed to GitHub*\nThis channel gets a thread per incident.'),
        section(
          '• <https://githubstatus.com/i/1|Actions outage> — major, investigating\n• *Webhooks &lt;delayed&gt;*',
        ),
      ],
    });
  });

  it('renders an error ephemerally with a warning sign, user input escaped', () => {
    expect(
      renderCommandReply({
        visibility: 'ephemeral',
        text: 'I don\'t know the service "<!channel> @here".',
        error: true,
      }),
    ).toEqual({
      response_type: 'ephemeral',
      text: ':warning: I don\'t know the service "&lt;!channel&gt; @\u2060here".',
      blocks: [section(':warning: I don\'t know the service "&lt;!channel&gt; @\u2060here".')],
    });
  });

  it('splits long lists over several sections and stays under 50 blocks', () => {
    const items = Array.from({ length: 3_000 }, (_, i) => ({
      label: `service-${i}`,
      detail: 'x'.repeat(40),
    }));
    const res = renderCommandReply({ visibility: 'ephemeral', text: 'Services', items });
    expect(res.blocks.length).toBeLessThanOrEqual(50);
    for (const b of res.blocks) {
      const t = (b as { text?: { text: string } }).text?.text ?? '';
      expect(t.length).toBeLessThanOrEqual(3_000);
    }
    const last = res.blocks.at(-1) as { type: string; elements?: Array<{ text: string }> };
    expect(last.type).toBe('context');
    expect(last.elements?.[0]?.text).toMatch(/^…and \d+ more\.$/);
  });
});
