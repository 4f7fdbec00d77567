import type { IncidentEvent } from '../../../src/incidents/model.js';
import type { ChannelRef, Delivery } from '../../../src/incidents/subscription.js';
import { deliveryFor, incidentThreadEvents } from '../../helpers/events.js';

export { incidentEvent } from '../../helpers/events.js';

const slackChannel = (channelId = 'C0GENERAL'): ChannelRef => ({
  platform: 'slack',
  workspaceId: 'T0FAKE',
  channelId,
});

/** The delivery of `event` to the fake workspace's #general, enqueued now. */
export function deliveryOf(event: IncidentEvent, overrides: Partial<Delivery> = {}): Delivery {
  return deliveryFor(event, slackChannel(), overrides);
}

/** One incident's start, update and resolution, delivered to `channelId`. */
export function threadDeliveries(
  incidentId: string,
  title: string,
  channelId = 'C0GENERAL',
): Delivery[] {
  const events = incidentThreadEvents(
    incidentId,
    title,
    [{ id: 'u2', body: `${title}: cause found.`, at: '2024-06-10T14:30:00.000Z' }],
    { id: 'u3', body: `${title}: resolved.`, at: '2024-06-10T16:15:00.000Z' },
  );
  return events.map((event) => deliveryFor(event, slackChannel(channelId)));
}
