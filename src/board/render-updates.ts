import { humanStatus } from '../incidents/format.js';
import type { IncidentUpdate } from '../incidents/model.js';
import { attr, text } from './html.js';
import { momentText } from './time-text.js';

/** An incident's updates as list items, in the order given: when, the status, what was said. */
export const updateItems = (updates: readonly IncidentUpdate[]): string =>
  updates
    .map(
      (u) =>
        `<li><time datetime="${attr(u.at)}">${text(momentText(u.at))}</time> <strong>${text(humanStatus(u.status))}</strong>: ${text(u.body)}</li>`,
    )
    .join('');
