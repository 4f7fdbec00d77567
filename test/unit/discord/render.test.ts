import { describe, expect, it } from 'vitest';
import {
  COLORS,
  discordTime,
  renderRoot,
  renderThreadReply,
  threadName,
} from '../../../adapters/discord/render.js';
import type { IncidentEvent } from '../../../src/incidents/model.js';
import { incidentEvent, laterEvent } from './events.js';

const STARTED_FIELD = {
  name: 'Started',
  value: '<t:1718028000:f> (<t:1718028000:R>)',
  inline: true,
};
const COMPONENTS_FIELD = { name: 'Components', value: 'Actions, API Requests' };

function maintenanceEvent(
  type: IncidentEvent['type'],
  status: 'scheduled' | 'in_progress' | 'completed',
): IncidentEvent {
  return {
    id: `gh:m1:${type}`,
    type,
    serviceId: 'github',
    serviceName: 'GitHub',
    threadKey: 'github:m1',
    subject: {
      kind: 'maintenance',
      id: 'm1',
      title: 'Database upgrade',
      status,
      impact: 'minor',
      components: ['Git Operations'],
      startedAt: '2024-06-12T02:00:00.000Z',
      scheduledFor: '2024-06-12T02:00:00.000Z',
      scheduledUntil: '2024-06-12T04:00:00.000Z',
      ...(status === 'completed' ? { resolvedAt: '2024-06-12T03:30:00.000Z' } : {}),
      url: 'https://www.githubstatus.com/incidents/m1',
      origin: 'status_page',
    },
    update: {
      id: `m1-${status}`,
      status,
      body: `Maintenance ${status}.`,
      at: '2024-06-12T02:00:00.000Z',
    },
    at: '2024-06-12T02:00:00.000Z',
  };
}

describe('discord incident embeds', () => {
  it('renders the start message', () => {
    expect(renderRoot(incidentEvent())).toEqual({
      author: { name: 'GitHub' },
      title: 'Degraded performance for Actions',
      url: 'https://www.githubstatus.com/incidents/inc1',
      description: 'We are investigating reports of degraded performance.',
      color: COLORS.major,
      fields: [
        { name: 'Status', value: 'Investigating', inline: true },
        { name: 'Impact', value: 'Major', inline: true },
        STARTED_FIELD,
        COMPONENTS_FIELD,
      ],
      footer: { text: 'Status page incident' },
      timestamp: '2024-06-10T14:00:00.000Z',
    });
  });

  it('renders an update as a thread reply', () => {
    expect(renderThreadReply(laterEvent('updated'))).toEqual({
      title: 'Identified',
      description: 'The cause is a bad deploy.',
      color: COLORS.major,
      timestamp: '2024-06-10T14:30:00.000Z',
    });
  });

  it('renders the resolution reply with its duration', () => {
    expect(renderThreadReply(laterEvent('resolved'))).toEqual({
      title: 'Resolved',
      description: 'All systems are back to normal.',
      color: COLORS.resolved,
      fields: [{ name: 'Duration', value: '1h 12m', inline: true }],
      timestamp: '2024-06-10T15:12:00.000Z',
    });
  });

  it('renders the edited root: resolved, when, and how long it lasted', () => {
    expect(renderRoot(laterEvent('resolved'))).toEqual({
      author: { name: 'GitHub' },
      title: 'Degraded performance for Actions',
      url: 'https://www.githubstatus.com/incidents/inc1',
      description: '**Resolved** after 1h 12m.',
      color: COLORS.resolved,
      fields: [
        { name: 'Status', value: 'Resolved', inline: true },
        { name: 'Impact', value: 'Major', inline: true },
        STARTED_FIELD,
        { name: 'Resolved', value: '<t:1718032320:f> (<t:1718032320:R>)', inline: true },
        { name: 'Duration', value: '1h 12m', inline: true },
        COMPONENTS_FIELD,
      ],
      footer: { text: 'Status page incident' },
      timestamp: '2024-06-10T14:00:00.000Z',
    });
  });

  it('renders a combined message (started and resolved between two polls)', () => {
    const embed = renderRoot(laterEvent('resolved', { combined: true }));
    expect(embed.description).toBe('All systems are back to normal.');
    expect(embed.color).toBe(COLORS.resolved);
    expect(embed.footer).toEqual({
      text: 'Status page incident · started and resolved between two checks',
    });
    expect(embed.fields?.map((f) => f.name)).toEqual([
      'Status',
      'Impact',
      'Started',
      'Resolved',
      'Duration',
      'Components',
    ]);
  });

  it('says when a resolution was inferred rather than confirmed', () => {
    const event = laterEvent('resolved', { inferred: true });
    expect(renderRoot(event).description).toBe(
      '**Resolved** after 1h 12m.\nNo longer listed on the status page, so it is assumed resolved.',
    );
    expect(renderThreadReply(event).description).toBe(
      'All systems are back to normal.\n\nNo longer listed on the status page, so it is assumed resolved.',
    );
  });

  it('renders maintenance with its own wording, window and colour', () => {
    expect(renderRoot(maintenanceEvent('maintenance_scheduled', 'scheduled'))).toEqual({
      author: { name: 'GitHub' },
      title: 'Database upgrade',
      url: 'https://www.githubstatus.com/incidents/m1',
      description: 'Maintenance scheduled.',
      color: COLORS.maintenance,
      fields: [
        { name: 'Status', value: 'Scheduled', inline: true },
        {
          name: 'Window',
          value: '<t:1718157600:f> – <t:1718164800:f> (<t:1718157600:R>)',
        },
        { name: 'Components', value: 'Git Operations' },
      ],
      footer: { text: 'Scheduled maintenance' },
      timestamp: '2024-06-12T02:00:00.000Z',
    });
    expect(renderThreadReply(maintenanceEvent('maintenance_started', 'in_progress'))).toEqual({
      title: 'Maintenance in progress',
      description: 'Maintenance in\\_progress.',
      color: COLORS.maintenance,
      timestamp: '2024-06-12T02:00:00.000Z',
    });
    const completed = maintenanceEvent('maintenance_completed', 'completed');
    expect(renderThreadReply(completed)).toMatchObject({
      title: 'Maintenance completed',
      color: COLORS.resolved,
      fields: [{ name: 'Duration', value: '1h 30m', inline: true }],
    });
    expect(renderRoot(completed).description).toBe('**Completed** after 1h 30m.');
  });

  it('colours by impact', () => {
    const colour = (impact: 'none' | 'minor' | 'major' | 'critical') =>
      renderRoot(incidentEvent({ subject: { ...incidentEvent().subject, impact } })).color;
    expect([colour('critical'), colour('major'), colour('minor'), colour('none')]).toEqual([
      0xed4245, 0xe67e22, 0xfee75c, 0x99aab5,
    ]);
    expect(COLORS.maintenance).toBe(0x3498db);
    expect(COLORS.resolved).toBe(0x57f287);
  });

  it('marks a reopened incident (flapping) in its thread', () => {
    expect(renderThreadReply(incidentEvent({ type: 'reopened' })).title).toBe(
      'Reopened: Investigating',
    );
  });

  it('formats Discord timestamps and refuses invalid dates', () => {
    expect(discordTime('2024-06-10T14:00:00.000Z', 'f')).toBe('<t:1718028000:f>');
    expect(discordTime('2024-06-10T14:00:00.999Z', 'R')).toBe('<t:1718028000:R>');
    expect(discordTime('not a date', 'f')).toBeUndefined();
  });

  it('names the thread "Service: title", one line, at most 100 characters', () => {
    expect(threadName(incidentEvent())).toBe('GitHub: Degraded performance for Actions');
    const long = incidentEvent({
      subject: { ...incidentEvent().subject, title: `Line\n${'x'.repeat(200)}` },
    });
    const name = threadName(long);
    expect(name).toHaveLength(100);
    expect(name.startsWith('GitHub: Line xxx')).toBe(true);
    expect(name.endsWith('…')).toBe(true);
  });
});

describe('discord embeds: untrusted text and limits', () => {
  const hostile = incidentEvent({
    subject: {
      ...incidentEvent().subject,
      title: '@everyone **URGENT** <@&123456789012345678>',
      components: ['<@123456789012345678>', '`db`'],
    },
    update: {
      id: 'u1',
      status: 'investigating',
      body: '@here see [this](https://evil.example) # now\n> quoted ||spoiler||\n# heading',
      at: '2024-06-10T14:00:00.000Z',
    },
  });

  it('escapes markdown and neutralizes mentions in every field', () => {
    const embed = renderRoot(hostile);
    expect(embed.title).toBe('@\u200beveryone \\*\\*URGENT\\*\\* \\<@&123456789012345678\\>');
    expect(embed.description).toBe(
      '@\u200bhere see \\[this\\]\\(https://evil.example\\) # now\n\\> quoted \\|\\|spoiler\\|\\|\n\\# heading',
    );
    expect(embed.fields?.at(-1)).toEqual({
      name: 'Components',
      value: '\\<@123456789012345678\\>, \\`db\\`',
    });
  });

  it('cuts every part to its embed limit and stays under 6000 in total', () => {
    const huge = incidentEvent({
      serviceName: 'S'.repeat(400),
      subject: {
        ...incidentEvent().subject,
        title: 'T'.repeat(400),
        components: Array.from({ length: 300 }, (_, i) => `component-${i}`),
      },
      update: {
        id: 'u1',
        status: 'investigating',
        body: 'B'.repeat(10_000),
        at: '2024-06-10T14:00:00.000Z',
      },
    });
    const embed = renderRoot(huge);
    expect(embed.title).toHaveLength(256);
    expect(embed.author?.name).toHaveLength(256);
    expect(embed.description?.length).toBeLessThanOrEqual(4096);
    for (const field of embed.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(1024);
    const total =
      (embed.title?.length ?? 0) +
      (embed.description?.length ?? 0) +
      (embed.author?.name.length ?? 0) +
      (embed.footer?.text.length ?? 0) +
      (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
  });

  it('never ends a cut inside an escape sequence', () => {
    const stars = incidentEvent({
      subject: { ...incidentEvent().subject, title: '*'.repeat(300) },
    });
    const title = renderRoot(stars).title ?? '';
    expect(title).toHaveLength(255);
    expect(title.endsWith('\\*…')).toBe(true);
  });

  it('drops links that are not http(s)', () => {
    const evil = incidentEvent({
      subject: { ...incidentEvent().subject, url: 'javascript:alert(1)' },
    });
    expect(renderRoot(evil).url).toBeUndefined();
  });
});
