import { isButtonServiceId } from '../../commands/buttons.js';
import type { IncidentEvent } from '../../src/incidents/model.js';
import { isOver } from '../../src/incidents/thread-rules.js';
import type { Block } from './render-incident.js';

/**
 * The buttons under an incident's start message (Block Kit `actions`). Open: "Status page" (a
 * link, only for a plain http(s) URL), "Mute this service for 1h" and "Unsubscribe", the last two
 * with the service id as their value. Once the incident is over only the link stays: muting or
 * leaving over a finished incident is what the commands are for.
 */

/** action_ids; Bolt routes presses on them (slack-actions.ts). */
export const ACTION_IDS = { link: 'ob:link', mute: 'ob:mute', unsub: 'ob:unsub' } as const;

export const ACTIONS_BLOCK_ID = 'ob:incident';

const MAX_URL = 3_000;

/** The URL as Slack may open it, or undefined when it is not plain http(s). */
export function buttonUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    const href = parsed.toString();
    return href.length <= MAX_URL ? href : undefined;
  } catch {
    return undefined;
  }
}

const button = (text: string, rest: Record<string, string>) => ({
  type: 'button' as const,
  text: { type: 'plain_text' as const, text, emoji: true },
  ...rest,
});

export function incidentActions(event: IncidentEvent, closed: boolean): Block | undefined {
  const elements = [];
  const url = buttonUrl(event.subject.url);
  if (url) elements.push(button('Status page', { action_id: ACTION_IDS.link, url }));
  if (!closed && !isOver(event.subject) && isButtonServiceId(event.serviceId)) {
    elements.push(
      button('Mute this service for 1h', { action_id: ACTION_IDS.mute, value: event.serviceId }),
      button('Unsubscribe', { action_id: ACTION_IDS.unsub, value: event.serviceId }),
    );
  }
  return elements.length > 0
    ? { type: 'actions', block_id: ACTIONS_BLOCK_ID, elements }
    : undefined;
}
