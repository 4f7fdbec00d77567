import { describe, expect, it } from 'vitest';
import {
  GROUP_NOTE,
  renderGroupedReply,
  renderGroupRoot,
} from '../../../adapters/slack/render-group.js';
import type { Burst } from '../../../src/incidents/grouping.js';
import type { IncidentEvent } from '../../../src/incidents/model.js';
import { incidentEvent } from './events.js';

const START = '<!date^1718028000^{date_short_pretty} {time}|2024-06-10 14:00 UTC>';
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const header = (text: string) => ({
  type: 'header',
  text: { type: 'plain_text', text, emoji: true },
});
const context = (...texts: string[]) => ({
  type: 'context',
  elements: texts.map((text) => ({ type: 'mrkdwn', text })),
});

const group = (over: Partial<Burst> = {}): Burst => ({
  id: 'github:inc1|slack:T1:C1',
  anchorMs: Date.parse('2024-06-10T14:00:00.000Z'),
  formed: true,
  members: [
    {
      thread: 'github:inc1|slack:T1:C1',
      serviceId: 'github',
      serviceName: 'GitHub',
      title: 'Actions <delayed> @here',
      impact: 'major',
      startedAt: '2024-06-10T14:00:00.000Z',
      url: 'https://www.githubstatus.com/incidents/inc1',
    },
    {
      thread: 'npm:x|slack:T1:C1',
      serviceId: 'npm',
      serviceName: 'npm',
      title: 'Installs failing',
      impact: 'critical',
      startedAt: '2024-06-10T14:00:00.000Z',
    },
    {
      thread: 'docker:y|slack:T1:C1',
      serviceId: 'docker',
      serviceName: 'Docker',
      title: 'Pulls slow',
      impact: 'minor',
      startedAt: '2024-06-10T14:00:00.000Z',
      resolvedAt: '2024-06-10T14:30:00.000Z',
    },
  ],
  ...over,
});

describe('Slack group rendering', () => {
  it('lists every service of the group, the worst open impact in the header, text escaped', () => {
    expect(renderGroupRoot(group())).toEqual({
      text: '3 services down at once (1 recovered): GitHub, npm, Docker',
      blocks: [
        header(':red_circle: 3 services down at once (1 recovered)'),
        section(
          [
            `:large_orange_circle: *GitHub* — <https://www.githubstatus.com/incidents/inc1|Actions &lt;delayed&gt; @\u2060here> · since ${START}`,
            `:red_circle: *npm* — Installs failing · since ${START}`,
            ':white_check_mark: *Docker* — Pulls slow · recovered after 30m',
          ].join('\n'),
        ),
        context(GROUP_NOTE),
      ],
    });
  });

  it('says the group is over, and how long it lasted, once every service recovered', () => {
    const g = group();
    for (const m of g.members) m.resolvedAt = '2024-06-10T15:12:00.000Z';
    g.endedAt = '2024-06-10T15:12:00.000Z';
    const rendered = renderGroupRoot(g);
    expect(rendered.text).toBe(
      'Over: 3 services were down at once (lasted 1h 12m): GitHub, npm, Docker',
    );
    expect(rendered.blocks[0]).toEqual(
      header(':white_check_mark: Over: 3 services were down at once (lasted 1h 12m)'),
    );
    expect(JSON.stringify(rendered.blocks[1])).toContain(
      ':white_check_mark: *npm* — Installs failing · recovered after 1h 12m',
    );
  });

  it("leads each service's message in the group's thread with its name", () => {
    expect(renderGroupedReply(incidentEvent())).toEqual({
      text: 'GitHub: Degraded performance for Actions · Started',
      blocks: [
        section(
          `:large_orange_circle: *GitHub* · *Started*: Degraded performance for Actions · ${START}\nWe are investigating reports of degraded performance.`,
        ),
        context('<https://www.githubstatus.com/incidents/inc1|View on the status page>'),
      ],
    });
    const base = incidentEvent();
    const resolved: IncidentEvent = incidentEvent({
      type: 'resolved',
      subject: { ...base.subject, status: 'resolved', resolvedAt: '2024-06-10T16:15:00.000Z' },
      update: { id: 'u3', status: 'resolved', body: 'Fixed.', at: '2024-06-10T16:15:00.000Z' },
      at: '2024-06-10T16:15:00.000Z',
    });
    expect(renderGroupedReply(resolved).blocks).toEqual([
      section(
        '*GitHub* · :white_check_mark: *Resolved* after 2h 15m · <!date^1718036100^{date_short_pretty} {time}|2024-06-10 16:15 UTC>\nFixed.',
      ),
    ]);
  });
});
