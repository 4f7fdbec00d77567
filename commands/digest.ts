import { type DigestSetting, WEEKDAY_NAMES, type Weekday } from '../src/digest/digest-model.js';
import { canonicalTimeZone, isTimeZone, nextSlotAfter } from '../src/digest/local-time.js';
import type { CommandContext, CommandDefinition, CommandOptions, Reply } from './command.js';
import { errorReply, quoteInput, SLASH } from './format.js';

const DEFAULT_DAY: Weekday = 1;
const DEFAULT_HOUR = 9;
const DEFAULT_ZONE = 'UTC';

const DAYS = Object.entries(WEEKDAY_NAMES).map(([n, name]) => ({
  day: Number(n) as Weekday,
  name: name.toLowerCase(),
}));

export const digest: CommandDefinition = {
  name: 'digest',
  description:
    'A weekly digest in this channel: incidents per service, downtime, what is still open.',
  options: [
    {
      name: 'mode',
      description: 'weekly (on) or off',
      required: false,
      choices: ['weekly', 'off'],
    },
    {
      name: 'day',
      description: 'Day of the week (default monday)',
      required: false,
      choices: DAYS.map((d) => d.name),
    },
    { name: 'hour', description: 'Hour of the day, 0-23 (default 9)', required: false },
    {
      name: 'timezone',
      description: 'IANA time zone, e.g. Europe/Berlin (default UTC)',
      required: false,
    },
  ],
  manages: true,
  examples: ['digest weekly monday 9 Europe/Berlin', 'digest weekly', 'digest off', 'digest'],
  run: runDigest,
};

async function runDigest(ctx: CommandContext, options: CommandOptions): Promise<Reply> {
  const mode = options.mode?.trim().toLowerCase() ?? '';
  if (mode === '') return showSetting(ctx);
  if (mode === 'off') return turnOff(ctx);
  if (mode !== 'weekly') {
    return errorReply(
      `${quoteInput(options.mode ?? '')} is not a digest setting: use weekly or off, e.g. ${SLASH} digest weekly monday 9 Europe/Berlin.`,
    );
  }
  const parsed = parseSchedule(options);
  if (!parsed.ok) return errorReply(`Can't set the weekly digest: ${parsed.reason}.`);
  const { store, now } = ctx.services;
  const setting: DigestSetting = {
    channel: ctx.channel,
    ...parsed.value,
    updatedAt: now().toISOString(),
    updatedBy: ctx.userId,
  };
  await store.digests.put(setting);
  const first = nextSlotAfter(now().getTime(), setting.day, setting.hour, setting.timeZone);
  return {
    visibility: 'in_channel',
    text: `This channel gets a weekly digest ${when(setting)}: incidents per service, total and longest downtime, and what is still open. The first one comes on ${first.date}. ${SLASH} digest off stops it.`,
  };
}

/** "on Mondays at 09:00 (Europe/Berlin)". */
const when = (s: Pick<DigestSetting, 'day' | 'hour' | 'timeZone'>): string =>
  `on ${WEEKDAY_NAMES[s.day]}s at ${String(s.hour).padStart(2, '0')}:00 (${s.timeZone})`;

async function showSetting(ctx: CommandContext): Promise<Reply> {
  const setting = await ctx.services.store.digests.get(ctx.channel);
  if (!setting) {
    return {
      visibility: 'ephemeral',
      text: `This channel gets no weekly digest. ${SLASH} digest weekly [day] [hour] [timezone] turns it on (default: Mondays at 09:00 UTC).`,
    };
  }
  return {
    visibility: 'ephemeral',
    text: `This channel gets a weekly digest ${when(setting)}. ${SLASH} digest off stops it.`,
  };
}

async function turnOff(ctx: CommandContext): Promise<Reply> {
  if (!(await ctx.services.store.digests.remove(ctx.channel))) {
    return errorReply('This channel gets no weekly digest; nothing to turn off.');
  }
  return {
    visibility: 'in_channel',
    text: `The weekly digest is off in this channel. ${SLASH} digest weekly turns it back on.`,
  };
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseSchedule(
  options: CommandOptions,
): Parsed<Pick<DigestSetting, 'day' | 'hour' | 'timeZone'>> {
  const day = parseDay(options.day);
  if (!day.ok) return day;
  const hour = parseHour(options.hour);
  if (!hour.ok) return hour;
  const zone = options.timezone?.trim() || DEFAULT_ZONE;
  if (!isTimeZone(zone)) {
    return {
      ok: false,
      reason: `${quoteInput(zone)} is not a time zone: give an IANA name, e.g. Europe/Berlin or America/New_York`,
    };
  }
  return {
    ok: true,
    value: { day: day.value, hour: hour.value, timeZone: canonicalTimeZone(zone) },
  };
}

/** mon..sun or a full name, any case. */
function parseDay(text: string | undefined): Parsed<Weekday> {
  const word = text?.trim().toLowerCase() ?? '';
  if (word === '') return { ok: true, value: DEFAULT_DAY };
  const found = DAYS.find((d) => d.name === word || (word.length === 3 && d.name.startsWith(word)));
  if (found) return { ok: true, value: found.day };
  return {
    ok: false,
    reason: `${quoteInput(text ?? '')} is not a day of the week: give mon to sun or a full name, e.g. monday`,
  };
}

/** A whole hour, 0-23 ("9", "09" or "09:00"). */
function parseHour(text: string | undefined): Parsed<number> {
  const word = text?.trim() ?? '';
  if (word === '') return { ok: true, value: DEFAULT_HOUR };
  const match = /^(\d{1,2})(?::00)?$/.exec(word);
  const hour = match ? Number(match[1]) : Number.NaN;
  if (hour >= 0 && hour <= 23) return { ok: true, value: hour };
  return {
    ok: false,
    reason: `${quoteInput(word)} is not an hour: give a whole hour from 0 to 23, e.g. 9 or 17`,
  };
}
