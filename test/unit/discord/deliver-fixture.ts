import type { ThreadRef } from '../../../src/incidents/subscription.js';
import { discordDelivery, incidentEvent } from './events.js';
import type { Harness } from './harness.js';

/** What the deliver() tests share: an incident started in `channel`, its ref as the worker keeps it. */
export async function startIncident(h: Harness, channel: string): Promise<ThreadRef> {
  return (await h.adapter.deliver({
    delivery: discordDelivery(incidentEvent(), channel),
    possiblySent: false,
  })) as ThreadRef;
}
