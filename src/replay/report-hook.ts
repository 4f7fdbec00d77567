import type { App } from '../app.js';
import type { ReportSignal } from './timeline.js';

/** The one place a timeline's `report` signal enters the bot. */
export type PlayReport = (signal: ReportSignal, context: { at: Date; app: App }) => Promise<void>;

/**
 * Files a `report` signal's `users` as that many distinct people running `/outage report`, each
 * from a channel of their own (so the per-channel limit, meant for one noisy channel, does not
 * cap a crowd), through the same limits and reports feed as the command.
 */
export function reportsAsUsers(): PlayReport {
  let people = 0;
  return async (signal, { at, app }) => {
    for (let i = 0; i < signal.users; i++) {
      people++;
      await app.fileReport({
        serviceId: signal.service,
        reporterId: `replay:crowd:${people}`,
        channel: `replay:crowd:${people}`,
        at: at.getTime(),
        text: signal.text ?? '',
      });
    }
  };
}
