import { describe, expect, it } from 'vitest';
import { renderReply as renderConsoleReply } from '../../../adapters/console/render.js';
import { renderThreadReply } from '../../../adapters/discord/render.js';
import { renderClosedRoot, renderReply } from '../../../adapters/slack/render-incident.js';
import { formatDuration as formatMuteLength } from '../../../commands/format.js';
import { formatDuration } from '../../../src/incidents/format.js';
import { incidentThreadEvents } from '../../helpers/events.js';

const MIN = 60_000;

describe('formatDuration: one format for every platform', () => {
  it.each([
    [0, '0s'],
    [45_000, '45s'],
    [90_000, '1m 30s'],
    [72 * MIN, '1h 12m'],
    [72 * MIN + 30_000, '1h 12m'],
    [(3 * 24 * 60 + 4 * 60 + 5) * MIN, '3d 4h'],
    [24 * 60 * MIN, '1d'],
    [Number.NaN, '0s'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('shows more units where asked (a mute confirms its length in full)', () => {
    expect(formatDuration((1440 + 61) * MIN, 3)).toBe('1d 1h 1m');
    expect(formatMuteLength((1440 + 61) * MIN)).toBe('1d 1h 1m');
  });

  it('Slack, Discord and the console say the same "1h 12m" for the same resolution', () => {
    const [, resolved] = incidentThreadEvents('inc1', 'Actions down', [], {
      id: 'u3',
      body: 'Fixed.',
      at: '2024-06-10T15:12:00.000Z',
    });
    if (!resolved) throw new Error('no resolution');
    expect(JSON.stringify(renderReply(resolved).blocks)).toContain('*Resolved* after 1h 12m');
    expect(renderClosedRoot(resolved).text).toContain('(lasted 1h 12m)');
    expect(renderThreadReply(resolved).fields).toEqual([
      { name: 'Duration', value: '1h 12m', inline: true },
    ]);
    expect(renderConsoleReply(resolved)).toContain('Resolved after 1h 12m');
  });
});
