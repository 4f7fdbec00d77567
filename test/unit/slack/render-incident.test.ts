import { describe, expect, it } from 'vitest';
import {
  metadataFor,
  renderClosedRoot,
  renderReply,
  renderRoot,
} from '../../../adapters/slack/render-incident.js';
import type { IncidentEvent } from '../../../src/incidents/model.js';
import { deliveryOf, incidentEvent } from './events.js';

const START = '<!date^1718028000^{date_short_pretty} {time}|2024-06-10 14:00 UTC>';
const AT_1430 = '<!date^1718029800^{date_short_pretty} {time}|2024-06-10 14:30 UTC>';
const AT_1615 = '<!date^1718036100^{date_short_pretty} {time}|2024-06-10 16:15 UTC>';
const LINK = '<https://www.githubstatus.com/incidents/inc1|View on the status page>';

const field = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const header = (text: string) => ({
  type: 'header',
  text: { type: 'plain_text', text, emoji: true },
});
const context = (...texts: string[]) => ({ type: 'context', elements: texts.map(field) });
const button = (text: string, rest: Record<string, string>) => ({
  type: 'button',
  text: { type: 'plain_text', text, emoji: true },
  ...rest,
});
const STATUS_PAGE = button('Status page', {
  action_id: 'ob:link',
  url: 'https://www.githubstatus.com/incidents/inc1',
});
const MUTE = button('Mute this service for 1h', { action_id: 'ob:mute', value: 'github' });
const UNSUBSCRIBE = button('Unsubscribe', { action_id: 'ob:unsub', value: 'github' });
const actions = (...elements: unknown[]) => ({
  type: 'actions',
  block_id: 'ob:incident',
  elements,
});

function resolvedEvent(overrides: Partial<IncidentEvent> = {}): IncidentEvent {
  const base = incidentEvent();
  return incidentEvent({
    id: 'github:inc1:resolved',
    type: 'resolved',
    subject: { ...base.subject, status: 'resolved', resolvedAt: '2024-06-10T16:15:00.000Z' },
    update: {
      id: 'u3',
      status: 'resolved',
      body: 'This incident has been resolved.',
      at: '2024-06-10T16:15:00.000Z',
    },
    at: '2024-06-10T16:15:00.000Z',
    ...overrides,
  });
}

describe('Slack incident rendering', () => {
  it('renders the start message with service, title, impact, status, components, time and link', () => {
    expect(renderRoot(incidentEvent(), 'here')).toEqual({
      text: '<!here> GitHub: Degraded performance for Actions (major impact, investigating)',
      blocks: [
        header(':large_orange_circle: GitHub: Degraded performance for Actions'),
        section('<!here>'),
        {
          type: 'section',
          fields: [
            field('*Service*\nGitHub'),
            field('*Impact*\n:large_orange_circle: Major'),
            field('*Status*\nInvestigating'),
            field(`*Started*\n${START}`),
            field('*Components*\nActions, API Requests'),
          ],
        },
        section(
          `*Investigating* · ${START}\nWe are investigating reports of degraded performance.`,
        ),
        context(LINK),
        actions(STATUS_PAGE, MUTE, UNSUBSCRIBE),
      ],
    });
  });

  it('offers the link button only for a plain http(s) URL, and acts only on a valid service id', () => {
    const unsafe = incidentEvent({
      subject: { ...incidentEvent().subject, url: 'javascript:alert(1)' },
    });
    expect(renderRoot(unsafe, 'none').blocks.at(-1)).toEqual(actions(MUTE, UNSUBSCRIBE));
    const odd = incidentEvent({ serviceId: 'Git Hub!' });
    expect(renderRoot(odd, 'none').blocks.at(-1)).toEqual(actions(STATUS_PAGE));
    const neither = incidentEvent({ serviceId: 'x'.repeat(70), subject: { ...unsafe.subject } });
    expect(renderRoot(neither, 'none').blocks.map((b) => b.type)).not.toContain('actions');
  });

  it('renders mentions only as the subscription asked (user, user group, none)', () => {
    expect(renderRoot(incidentEvent(), { user: 'U123ABC' }).blocks[1]).toEqual(
      section('<@U123ABC>'),
    );
    expect(renderRoot(incidentEvent(), { role: 'S0ONCALL' }).blocks[1]).toEqual(
      section('<!subteam^S0ONCALL>'),
    );
    expect(renderRoot(incidentEvent(), 'channel').text.startsWith('<!channel> ')).toBe(true);
    const plain = renderRoot(incidentEvent(), 'none');
    expect(plain.blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'context',
      'actions',
    ]);
    // A forged id cannot smuggle markup into the mention.
    expect(renderRoot(incidentEvent(), { user: 'U1>|<!everyone' }).text).not.toContain('<!');
  });

  it('renders an update as a thread reply', () => {
    const event = incidentEvent({
      id: 'github:inc1:u2',
      type: 'updated',
      subject: { ...incidentEvent().subject, status: 'identified' },
      update: {
        id: 'u2',
        status: 'identified',
        body: 'The cause was found.',
        at: '2024-06-10T14:30:00.000Z',
      },
      at: '2024-06-10T14:30:00.000Z',
    });
    expect(renderReply(event)).toEqual({
      text: 'GitHub: Degraded performance for Actions · Identified: The cause was found.',
      blocks: [section(`*Identified* · ${AT_1430}\nThe cause was found.`)],
    });
  });

  it('renders the resolution reply with its duration', () => {
    expect(renderReply(resolvedEvent())).toEqual({
      text: 'GitHub: Degraded performance for Actions · Resolved: This incident has been resolved.',
      blocks: [
        section(
          `:white_check_mark: *Resolved* after 2h 15m · ${AT_1615}\nThis incident has been resolved.`,
        ),
      ],
    });
  });

  it('renders the edited start message: resolved, and how long it lasted', () => {
    expect(renderClosedRoot(resolvedEvent())).toEqual({
      text: 'Resolved: GitHub: Degraded performance for Actions (lasted 2h 15m)',
      blocks: [
        header(':white_check_mark: Resolved · GitHub: Degraded performance for Actions'),
        {
          type: 'section',
          fields: [
            field('*Service*\nGitHub'),
            field('*Impact*\nMajor'),
            field('*Status*\nResolved'),
            field(`*Started*\n${START}`),
            field(`*Resolved*\n${AT_1615}`),
            field('*Duration*\n2h 15m'),
            field('*Components*\nActions, API Requests'),
          ],
        },
        context(LINK),
        actions(STATUS_PAGE),
      ],
    });
  });

  it('renders an incident that started and resolved between two polls as one closed message', () => {
    const combined = resolvedEvent({ combined: true });
    const message = renderRoot(combined, 'here');
    expect(message.text).toBe('Resolved: GitHub: Degraded performance for Actions (lasted 2h 15m)');
    expect(message.blocks.at(0)).toEqual(
      header(':white_check_mark: Resolved · GitHub: Degraded performance for Actions'),
    );
    expect(message.blocks.at(2)).toEqual(
      section(`*Resolved* · ${AT_1615}\nThis incident has been resolved.`),
    );
    expect(message.blocks.at(3)).toEqual(context(LINK, 'Started and resolved between two checks.'));
    expect(message.blocks.at(4)).toEqual(actions(STATUS_PAGE));
    // Already over: nobody is paged for it.
    expect(JSON.stringify(message)).not.toContain('<!here>');
  });

  it('words maintenance as maintenance, with its window', () => {
    const maintenance = incidentEvent({
      id: 'github:m1:scheduled',
      type: 'maintenance_scheduled',
      threadKey: 'github:m1',
      subject: {
        kind: 'maintenance',
        id: 'm1',
        title: 'Database upgrade',
        status: 'scheduled',
        impact: 'none',
        components: [],
        startedAt: '2024-06-10T14:00:00.000Z',
        scheduledFor: '2024-06-10T14:00:00.000Z',
        scheduledUntil: '2024-06-10T16:15:00.000Z',
        origin: 'status_page',
      },
      update: undefined,
    });
    expect(renderRoot(maintenance, 'none')).toEqual({
      text: 'GitHub maintenance: Database upgrade (Scheduled)',
      blocks: [
        header(':wrench: GitHub maintenance: Database upgrade'),
        {
          type: 'section',
          fields: [
            field('*Service*\nGitHub'),
            field('*Status*\nScheduled'),
            field(`*Window*\n${START} – ${AT_1615}`),
          ],
        },
        actions(MUTE, UNSUBSCRIBE),
      ],
    });
    const started = { ...maintenance, type: 'maintenance_started' as const };
    expect(renderReply(started).blocks).toEqual([
      section(`:wrench: *Maintenance in progress* · ${START}`),
    ]);
    const done = {
      ...maintenance,
      type: 'maintenance_completed' as const,
      subject: {
        ...maintenance.subject,
        status: 'completed' as const,
        resolvedAt: '2024-06-10T16:15:00.000Z',
      },
      at: '2024-06-10T16:15:00.000Z',
    };
    expect(renderReply(done).blocks).toEqual([
      section(`:white_check_mark: *Maintenance completed* after 2h 15m · ${AT_1615}`),
    ]);
    expect(renderClosedRoot(done).blocks[0]).toEqual(
      header(':white_check_mark: Completed · GitHub maintenance: Database upgrade'),
    );
  });

  it('says where an incident came from when the status page did not open it', () => {
    const event = incidentEvent({
      subject: { ...incidentEvent().subject, origin: 'component', url: undefined },
    });
    expect(renderRoot(event, 'none').blocks.at(-2)).toEqual(
      context('Opened by outage-bot: a component is degraded and the status page has no incident.'),
    );
    const inferred = renderReply(resolvedEvent({ inferred: true }));
    expect(inferred.blocks.at(-1)).toEqual(
      context('The status page stopped listing this incident without publishing a resolution.'),
    );
  });

  it('tags every message with the thread key, event id and delivery id', () => {
    const delivery = deliveryOf(incidentEvent(), { id: 'd-1' });
    expect(metadataFor(delivery)).toEqual({
      event_type: 'outage_bot_event',
      event_payload: {
        thread_key: 'github:inc1',
        event_id: 'github:inc1:started',
        delivery_id: 'd-1',
      },
    });
  });

  it('keeps every part within Slack limits for huge titles and bodies', () => {
    const huge = incidentEvent({
      subject: {
        ...incidentEvent().subject,
        title: 'T'.repeat(5_000),
        components: ['C'.repeat(5_000)],
      },
      update: {
        id: 'u',
        status: 'investigating',
        body: '<b>x</b> & '.repeat(2_000),
        at: '2024-06-10T14:00:00.000Z',
      },
    });
    const message = renderRoot(huge, 'none');
    const head = message.blocks[0] as { text: { text: string } };
    expect(head.text.text.length).toBeLessThanOrEqual(150);
    for (const block of message.blocks) {
      const b = block as { text?: { text: string }; fields?: Array<{ text: string }> };
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3_000);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2_000);
    }
    expect(message.text.length).toBeLessThanOrEqual(40_000);
    expect(JSON.stringify(message)).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });
});
