import { describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../../adapters/console/console-adapter.js';
import { CONSOLE_CHANNEL } from '../../../src/console-feed.js';
import { deliveryFor, incidentThreadEvents, reopenedEvent } from '../../helpers/events.js';

describe('console adapter', () => {
  it('prints a reopen once, as a reply, with the start message shown open again', async () => {
    const lines: string[] = [];
    const adapter = createConsoleAdapter((text) => lines.push(text));
    const [started, resolved] = incidentThreadEvents('inc1', 'Actions down', [], {
      id: 'u3',
      body: 'Fixed.',
      at: '2024-06-10T15:00:00.000Z',
    });
    if (!started || !resolved) throw new Error('no thread');
    const step = { id: 'u4', body: 'The errors are back.', at: '2024-06-10T17:00:00.000Z' };
    const deliver = (event: typeof started, thread?: { channelId: string; rootId: string }) =>
      adapter.deliver({
        delivery: deliveryFor(event, CONSOLE_CHANNEL),
        thread,
        possiblySent: false,
      });
    const thread = await deliver(started);
    await deliver(resolved, thread);
    lines.length = 0;
    await deliver(reopenedEvent(resolved, step), thread);
    expect(lines).toEqual([
      '  ↳ [github:inc1] 🔁 Reopened (Investigating): The errors are back.\n',
      '  ✎ [github:inc1] start message now reads: Open again (Investigating) — GitHub: Actions down\n',
    ]);
  });
});
