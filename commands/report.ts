import { formatWindow } from '../src/incidents/reconcile-reports.js';
import { channelKey } from '../src/incidents/subscription.js';
import type { ReportLimits } from '../src/store/reports.js';
import type { CommandContext, CommandDefinition, CommandOptions, Reply } from './command.js';
import { errorReply, quoteInput } from './format.js';
import { lookupService } from './lookup.js';

/** `/outage report` settings, from REPORT_* (src/config.ts). */
export interface ReportSettings {
  limits: ReportLimits;
  /** A counted report: poll the service's reports feed now rather than at the next tick. */
  onCounted?: (serviceId: string) => void;
}

/** The reply says how many others reported within this long: a person's "is it just me?". */
export const OTHERS_WINDOW_MS = 30 * 60_000;

/** A report's free text is kept at most this long (UTF-16 units). */
export const REPORT_TEXT_MAX = 300;

export const report: CommandDefinition = {
  name: 'report',
  description:
    'Tell the bot a service is failing for you. Enough people reporting it opens an incident before any official word.',
  options: [
    {
      name: 'service',
      description: 'Service id, name or alias',
      required: true,
      autocomplete: true,
    },
    {
      name: 'details',
      description: 'What is wrong, in a few words (optional)',
      required: false,
      rest: true,
    },
  ],
  manages: false,
  examples: ['report instagram', "report instagram feed won't load"],
  run: runReport,
};

async function runReport(ctx: CommandContext, options: CommandOptions): Promise<Reply> {
  const settings = ctx.services.reports;
  if (!settings) return errorReply('Reports are not enabled on this bot.');
  const found = lookupService(ctx, options.service ?? '');
  if (!found.ok) return found.reply;
  const { service } = found;
  const { store, now } = ctx.services;
  const { platform, workspaceId } = ctx.channel;
  const reporterId = `${platform}:${workspaceId}:${ctx.userId}`;
  const at = now().getTime();
  const text = cleanReportText(options.details ?? '');
  const outcome = await store.reports.record(
    { serviceId: service.id, reporterId, channel: channelKey(ctx.channel), at, text },
    settings.limits,
  );
  const { perUser, perChannel } = settings.limits;
  if (outcome === 'user_limited') {
    return errorReply(
      `You have sent too many reports (at most ${perUser.max} per ${formatWindow(perUser.windowMs)}). This one was not counted; try again later.`,
    );
  }
  if (outcome === 'channel_limited') {
    return errorReply(
      `This channel has sent too many reports (at most ${perChannel.max} per ${formatWindow(perChannel.windowMs)}). This one was not counted; try again later.`,
    );
  }
  if (outcome === 'counted') settings.onCounted?.(service.id);
  const others = await store.reports.countReporters(
    service.id,
    at - OTHERS_WINDOW_MS,
    at,
    reporterId,
  );
  const lines = [
    outcome === 'counted'
      ? `Thanks, your report about ${service.name} is counted.`
      : `You already reported ${service.name} in the last ${formatWindow(settings.limits.dedupMs)}; you are counted once.`,
    `${othersText(others)} reported ${service.name} in the last ${formatWindow(OTHERS_WINDOW_MS)}.`,
  ];
  if (text) lines.push(`Your note: ${quoteInput(text)}`);
  return { visibility: 'ephemeral', text: lines.join('\n') };
}

const othersText = (n: number): string =>
  n === 0 ? 'Nobody else has' : n === 1 ? '1 other person has' : `${n} other people have`;

/**
 * Untrusted free text as it is kept: one line, no control or bidi-override characters, trimmed
 * and cut. It stays plain text; whoever shows it escapes it for their platform (adapters), so a
 * `<!channel>` or `@here` in it is shown, never acted on.
 */
export function cleanReportText(raw: string): string {
  const oneLine = raw
    .replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (oneLine.length <= REPORT_TEXT_MAX) return oneLine;
  let end = REPORT_TEXT_MAX - 1;
  const code = oneLine.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${oneLine.slice(0, end)}…`;
}
