import { describe, expect, it } from 'vitest';
import { COLORS } from '../../../adapters/discord/render.js';
import {
  GROUP_NOTE,
  renderGroupedReply,
  renderGroupRoot,
} from '../../../adapters/discord/render-group.js';
import type { Burst } from '../../../src/incidents/grouping.js';
import type { IncidentEvent } from '../../../src/incidents/model.js';
import { incidentEvent } from '../../helpers/events.js';

const group = (): Burst => ({
  id: 'github:inc1|discord:G1:C1',
  anchorMs: Date.parse('2024-06-10T14:00:00.000Z'),
  formed: true,
  members: [
    {
      thread: 'github:inc1|discord:G1:C1',
      serviceId: 'github',
      serviceName: 'GitHub',
      title: 'Actions *delayed* @everyone',
      impact: 'major',
      startedAt: '2024-06-10T14:00:00.000Z',
    },
    {
      thread: 'npm:x|discord:G1:C1',
      serviceId: 'npm',
      serviceName: 'npm',
      title: 'Installs failing',
      impact: 'minor',
      startedAt: '2024-06-10T14:00:00.000Z',
      resolvedAt: '2024-06-10T14:30:00.000Z',
    },
    {
      thread: 'docker:y|discord:G1:C1',
      serviceId: 'docker',
      serviceName: 'Docker',
      title: 'Pulls slow',
      impact: 'minor',
      startedAt: '2024-06-10T14:00:00.000Z',
    },
  ],
});

describe('Discord group rendering', () => {
  it('lists every service, coloured by the worst open impact, untrusted text shown literally', () => {
    expect(renderGroupRoot(group(), { ref: 'abc' })).toEqual({
      title: '3 services down at once (1 recovered)',
      description: [
        '🟠 **GitHub** — Actions \\*delayed\\* @\u200beveryone · since <t:1718028000:R>',
        '✅ **npm** — Installs failing · recovered after 30m',
        '🟡 **Docker** — Pulls slow · since <t:1718028000:R>',
      ].join('\n'),
      color: COLORS.major,
      footer: { text: `${GROUP_NOTE} · ref abc` },
      timestamp: '2024-06-10T14:00:00.000Z',
    });
  });

  it('turns green and says how long it lasted once every service recovered', () => {
    const g = group();
    for (const m of g.members) m.resolvedAt = '2024-06-10T15:00:00.000Z';
    g.endedAt = '2024-06-10T15:00:00.000Z';
    expect(renderGroupRoot(g)).toMatchObject({
      title: 'Over: 3 services were down at once (lasted 1h)',
      color: COLORS.resolved,
      footer: { text: GROUP_NOTE },
    });
  });

  it("titles each service's message in the group's thread with its name", () => {
    expect(renderGroupedReply(incidentEvent())).toEqual({
      title: 'GitHub · Started: Degraded performance for Actions',
      url: 'https://www.githubstatus.com/incidents/inc1',
      description: 'We are investigating reports of degraded performance.',
      color: COLORS.major,
      timestamp: '2024-06-10T14:00:00.000Z',
    });
    const base = incidentEvent();
    const resolved: IncidentEvent = incidentEvent({
      type: 'resolved',
      subject: { ...base.subject, status: 'resolved', resolvedAt: '2024-06-10T16:15:00.000Z' },
      update: { id: 'u3', status: 'resolved', body: 'Fixed.', at: '2024-06-10T16:15:00.000Z' },
      at: '2024-06-10T16:15:00.000Z',
    });
    expect(renderGroupedReply(resolved)).toMatchObject({
      title: 'GitHub · Resolved',
      description: 'Fixed.',
      color: COLORS.resolved,
    });
  });
});
