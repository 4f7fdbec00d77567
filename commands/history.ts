import { BAR_DAYS } from '../src/board/day-bars.js';
import { historyAltText, historyPng, readHistoryReport } from '../src/pictures/history-report.js';
import type { CommandContext, CommandDefinition, CommandOptions, Reply } from './command.js';
import { errorReply, quoteInput, SLASH } from './format.js';
import { lookupService } from './lookup.js';
import type { Parsed } from './values.js';

export const history: CommandDefinition = {
  name: 'history',
  description:
    "A picture of one service's incidents per day (90 days, or fewer), with total downtime and mean time to resolve.",
  options: [
    {
      name: 'service',
      description: 'Service id, name or alias',
      required: true,
      autocomplete: true,
      rest: true,
    },
    {
      name: 'days',
      description: `How many days back, 1 to ${BAR_DAYS} (default ${BAR_DAYS})`,
      required: false,
    },
  ],
  manages: false,
  examples: ['history github', 'history github 30'],
  run: async (ctx: CommandContext, options: CommandOptions): Promise<Reply> => {
    const max = Math.min(BAR_DAYS, ctx.services.historyDays ?? BAR_DAYS);
    const asked = splitDays(ctx, options);
    const days = parseDays(asked.days, max);
    if (!days.ok) return errorReply(days.reason);
    const found = lookupService(ctx, asked.service);
    if (!found.ok) return found.reply;
    const { service } = found;
    const report = await readHistoryReport(
      ctx.services.store,
      service,
      ctx.services.now().getTime(),
      days.value,
    );
    if (!report.known) {
      return {
        visibility: 'ephemeral',
        text: `I have no history of ${service.name} yet: services are polled while a channel follows them. ${SLASH} subscribe ${service.id} starts that.`,
      };
    }
    return {
      // A picture is for the channel: it is what people point at while they talk about an outage.
      visibility: 'in_channel',
      title: `${service.name}: last ${days.value} ${days.value === 1 ? 'day' : 'days'}`,
      text: report.lines.join('\n'),
      image: {
        png: historyPng(service.name, report),
        filename: `${service.id}-history-${days.value}d.png`,
        altText: historyAltText(service.name, report),
      },
    };
  },
};

/**
 * Slack gives all the text as `service`, since a name may have spaces (`google cloud 30`): a
 * last word with a digit in it is the days, unless the whole text names a service.
 */
function splitDays(ctx: CommandContext, options: CommandOptions) {
  const service = options.service?.trim() ?? '';
  const split = /^(.*\S)\s+(\S*\d\S*)$/.exec(service);
  if (options.days !== undefined || !split || ctx.services.catalog.find(service).service) {
    return { service, days: options.days };
  }
  return { service: split[1] ?? '', days: split[2] };
}

/** `30` -> 30; empty -> the most there is; anything else a reason naming the range. */
export function parseDays(text: string | undefined, max: number): Parsed<number> {
  const raw = text?.trim() ?? '';
  if (raw === '') return { ok: true, value: max };
  const value = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (value >= 1 && value <= max) return { ok: true, value };
  return {
    ok: false,
    reason: `${SLASH} history shows 1 to ${max} days; ${quoteInput(raw)} is not a number in that range.\nExample: ${SLASH} history github 30`,
  };
}
