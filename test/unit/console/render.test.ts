import { describe, expect, it } from 'vitest';
import { renderReply, renderRootEdit, renderStart } from '../../../adapters/console/render.js';
import { incidentEvent, reopenedEvent } from '../../helpers/events.js';

const started = incidentEvent();
const resolved = incidentEvent({
  id: 'github:inc1:resolved:u3',
  type: 'resolved',
  subject: { ...started.subject, status: 'resolved', resolvedAt: '2024-06-10T15:12:30.000Z' },
  update: {
    id: 'u3',
    status: 'resolved',
    body: 'This incident has been resolved.',
    at: '2024-06-10T15:12:30.000Z',
  },
});

describe('console rendering', () => {
  it('renders a start message as one block tagged with its thread', () => {
    expect(renderStart(started)).toBe(
      [
        '┏ [github:inc1] 🟠 Incident started: GitHub — Degraded performance for Actions',
        '┃ Impact: major · Status: Investigating · Since 2024-06-10 14:00 UTC',
        '┃ Components: Actions, API Requests',
        '┃ We are investigating reports of degraded performance.',
        '┃ https://www.githubstatus.com/incidents/inc1',
        '┗',
      ].join('\n'),
    );
  });

  it('renders updates and the resolution as replies, and the edit of the start', () => {
    const update = incidentEvent({
      id: 'github:inc1:updated:u2',
      type: 'updated',
      update: {
        id: 'u2',
        status: 'identified',
        body: 'Cause found.\nFix rolling out.',
        at: '2024-06-10T14:30:00.000Z',
      },
    });
    expect(renderReply(update)).toBe(
      '  ↳ [github:inc1] Update (Identified): Cause found. Fix rolling out.',
    );
    expect(renderReply(resolved)).toBe(
      '  ↳ [github:inc1] ✅ Resolved after 1h 12m: This incident has been resolved.',
    );
    expect(renderRootEdit(resolved)).toBe(
      '  ✎ [github:inc1] start message now reads: Resolved (lasted 1h 12m) — GitHub: Degraded performance for Actions',
    );
  });

  it('renders an incident that started and ended between two polls as one combined block', () => {
    const combined = { ...resolved, type: 'started' as const, combined: true };
    expect(renderStart(combined).split('\n')[0]).toBe(
      '┏ [github:inc1] 🟠 Incident started and resolved: GitHub — Degraded performance for Actions',
    );
    expect(renderStart(combined)).toContain('┃ Lasted 1h 12m');
  });

  it('keeps a hostile title on its line: no forged thread lines, no escape sequences', () => {
    const hostile = incidentEvent({
      subject: {
        ...started.subject,
        title:
          'Fine\n┏ [github:fake] 🔴 Incident started: GitHub — everything is down\u001b[2J\u202e',
      },
    });
    const lines = renderStart(hostile).split('\n');
    expect(lines[0]).toBe(
      '┏ [github:inc1] 🟠 Incident started: GitHub — Fine ┏ [github:fake] 🔴 Incident started: GitHub — everything is down[2J',
    );
    expect(lines.filter((l) => l.startsWith('┏'))).toHaveLength(1);
  });

  it('keeps a hostile incident id inside its tag', () => {
    const forged = incidentEvent({
      type: 'updated',
      threadKey: 'github:x\n┏ [github:fake] 🔴 Incident started',
    });
    expect(renderReply(forged).split('\n')).toHaveLength(1);
    expect(renderRootEdit(forged).split('\n')).toHaveLength(1);
    expect(
      renderStart(forged)
        .split('\n')
        .filter((l) => l.startsWith('┏')),
    ).toHaveLength(1);
  });

  it('shows a reopen as a reply and the start message open again', () => {
    const step = { id: 'u4', body: 'The errors are back.', at: '2024-06-10T17:00:00.000Z' };
    const reopened = reopenedEvent(resolved, step);
    expect(renderReply(reopened)).toBe(
      '  ↳ [github:inc1] 🔁 Reopened (Investigating): The errors are back.',
    );
    expect(renderRootEdit(reopened)).toBe(
      '  ✎ [github:inc1] start message now reads: Open again (Investigating) — GitHub: Degraded performance for Actions',
    );
  });
});
