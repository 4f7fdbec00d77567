import { describe, expect, it } from 'vitest';
import { validateComponents } from '../../fakes/discord/components.js';

const row = (...components: unknown[]) => ({ type: 1, components });
const button = (over: Record<string, unknown> = {}) => ({
  type: 2,
  style: 2,
  label: 'Mute',
  custom_id: 'ob:mute:github',
  ...over,
});
const link = { type: 2, style: 5, label: 'Status page', url: 'https://status.example/' };

/** The fake refuses what Discord refuses, so a bad button fails the bot's post in tests. */
describe('fake Discord: message components', () => {
  it('accepts a row with a link button and two buttons', () => {
    expect(
      validateComponents([row(link, button(), button({ custom_id: 'ob:unsub:github' }))]),
    ).toEqual([]);
  });

  it.each([
    [
      'six buttons in a row',
      [row(...[1, 2, 3, 4, 5, 6].map((n) => button({ custom_id: `b${n}` })))],
    ],
    ['six rows', [1, 2, 3, 4, 5, 6].map((n) => row(button({ custom_id: `r${n}` })))],
    ['a link button with a custom_id', [row({ ...link, custom_id: 'x' })]],
    ['a link button without a url', [row({ type: 2, style: 5, label: 'x' })]],
    ['a javascript: url', [row({ ...link, url: 'javascript:alert(1)' })]],
    ['a button with a url', [row(button({ url: 'https://x.example/' }))]],
    ['a custom_id over 100 characters', [row(button({ custom_id: 'x'.repeat(101) }))]],
    ['a duplicate custom_id', [row(button(), button())]],
    ['a label over 80 characters', [row(button({ label: 'x'.repeat(81) }))]],
    ['an empty row', [row()]],
  ])('refuses %s', (_what, components) => {
    expect(validateComponents(components)).not.toEqual([]);
  });
});
