import {
  type APIActionRowComponent,
  type APIButtonComponent,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { ButtonPress } from '../../commands/buttons.js';
import { type ButtonAction, isButtonServiceId, parseButtonPress } from '../../commands/buttons.js';
import type { IncidentEvent } from '../../src/incidents/model.js';
import { isOver } from '../../src/incidents/thread-rules.js';
import { safeUrl } from './text.js';

/**
 * The buttons under an incident's start message: one action row with "Status page" (a link
 * button, only for a plain http(s) URL), "Mute this service for 1h" and "Unsubscribe", whose
 * custom_ids carry the action and the service id (`ob:mute:<serviceId>`). Once the incident is
 * over only the link stays. An empty list clears the row when the start message is edited.
 */

const PREFIX = 'ob';
/** Discord's limits: custom_id 100 characters, a link button's url 512. */
const MAX_CUSTOM_ID = 100;
const MAX_URL = 512;

export const customIdFor = (action: ButtonAction, serviceId: string): string =>
  `${PREFIX}:${action}:${serviceId}`;

/** The press a custom_id stands for; undefined for anything this bot did not put on a button. */
export function parseCustomId(customId: string): ButtonPress | undefined {
  if (customId.length > MAX_CUSTOM_ID) return undefined;
  const [prefix, action, serviceId, ...rest] = customId.split(':');
  if (prefix !== PREFIX || rest.length > 0) return undefined;
  return parseButtonPress(action, serviceId);
}

/** Whether a custom_id is in this bot's button namespace (its own, or an older version's). */
export const isOwnCustomId = (customId: string): boolean => customId.startsWith(`${PREFIX}:`);

type Row = APIActionRowComponent<APIButtonComponent>;

export function incidentComponents(event: IncidentEvent): Row[] {
  const buttons: APIButtonComponent[] = [];
  const url = safeUrl(event.subject.url);
  if (url && url.length <= MAX_URL) {
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Link,
      label: 'Status page',
      url,
    });
  }
  if (!isOver(event.subject) && isButtonServiceId(event.serviceId)) {
    buttons.push(
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: 'Mute this service for 1h',
        custom_id: customIdFor('mute', event.serviceId),
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Danger,
        label: 'Unsubscribe',
        custom_id: customIdFor('unsub', event.serviceId),
      },
    );
  }
  return buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
}
