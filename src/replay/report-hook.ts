import type { App } from '../app.js';
import type { ReportSignal } from './timeline.js';

/**
 * The one place a timeline's `report` signal enters the bot. User reports (`/outage report`) are
 * not part of this build yet, so the default hook only says, once per service, that they were
 * read and not counted; wiring reports in means replacing `reportsNotCounted` with a hook that
 * files `signal.users` distinct reports through the app's report service at `at`.
 */
export type PlayReport = (signal: ReportSignal, context: { at: Date; app: App }) => Promise<void>;

export function reportsNotCounted(notice: (line: string) => void): PlayReport {
  const told = new Set<string>();
  return async (signal) => {
    if (told.has(signal.service)) return;
    told.add(signal.service);
    notice(
      `replay: report signals for ${signal.service} are read but not counted (user reports are not part of this build)`,
    );
  };
}
