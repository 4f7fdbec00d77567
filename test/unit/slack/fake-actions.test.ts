import { describe, expect, it } from 'vitest';
import { validateContent } from '../../fakes/slack/workspace.js';

const button = (over: Record<string, unknown> = {}) => ({
  type: 'button',
  text: { type: 'plain_text', text: 'Mute' },
  action_id: 'ob:mute',
  value: 'github',
  ...over,
});
const post = (...elements: unknown[]) =>
  validateContent({ blocks: [{ type: 'actions', elements }] });

/** The fake refuses what Slack refuses, so a bad button fails the bot's post in tests. */
describe('fake Slack: actions blocks', () => {
  it('accepts link and value buttons', () => {
    expect(
      post(button({ action_id: 'ob:link', url: 'https://x.example/', value: undefined }), button()),
    ).toBeUndefined();
  });

  it.each([
    ['no elements', []],
    ['a duplicate action_id', [button(), button()]],
    ['a mrkdwn label', [button({ text: { type: 'mrkdwn', text: 'x' } })]],
    [
      'a label over 75 characters',
      [button({ text: { type: 'plain_text', text: 'x'.repeat(76) } })],
    ],
    ['a javascript: url', [button({ url: 'javascript:alert(1)' })]],
    ['an unknown style', [button({ style: 'loud' })]],
    ['a value over 2000 characters', [button({ value: 'x'.repeat(2_001) })]],
  ])('refuses %s', (_what, elements) => {
    expect(post(...elements)).toBe('invalid_blocks');
  });
});
