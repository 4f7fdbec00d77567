import { z } from 'zod';

/**
 * The format of a replay timeline (timelines/*.yml). Times are UTC: `HH:MM` or `HH:MM:SS` on the
 * timeline's `date`, or a full ISO time. Each signal changes what the simulated internet answers
 * from its moment on (`host`, `source`) or is a signal of its own (`report`).
 */

const clock = z
  .string()
  .regex(
    /^(\d{2}:\d{2}(:\d{2})?|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z)$/,
    'expected a UTC time like "15:40", "15:40:30" or "2021-10-04T15:40:00Z"',
  );

const note = z.string().min(1).optional();

const dns = z.enum(['ok', 'servfail', 'nxdomain', 'timeout']);
const httpStatus = z.number().int().min(200).max(599);

/** What every request to these hosts meets: a probe's front door, a status page's host. */
const hostSignal = z.strictObject({
  at: clock,
  kind: z.literal('host'),
  hosts: z.array(z.string().regex(/^[a-z0-9.-]+$/i, 'expected a host name')).min(1),
  dns: dns.default('ok'),
  /** The HTTP status once the name resolves. */
  status: httpStatus.default(200),
  body: z.string().optional(),
  note,
});

/** What one status feed URL serves (a URL ending in `*`: every URL under it). */
const sourceSignal = z
  .strictObject({
    at: clock,
    kind: z.literal('source'),
    url: z.url({ protocol: /^https?$/ }),
    status: httpStatus.default(200),
    json: z.unknown().optional(),
    body: z.string().optional(),
    note,
  })
  .refine((s) => (s.json === undefined) !== (s.body === undefined), {
    message: 'a source signal needs exactly one of json or body',
  });

/** People saying the service misbehaves for them (`/outage report`). */
const reportSignal = z.strictObject({
  at: clock,
  kind: z.literal('report'),
  service: z.string().min(1),
  /** Distinct people reporting at this moment. */
  users: z.number().int().min(1).max(10_000),
  text: z.string().max(500).optional(),
  note,
});

const signal = z.discriminatedUnion('kind', [hostSignal, sourceSignal, reportSignal]);

export const timelineSchema = z.strictObject({
  name: z.string().min(1),
  /** Where the facts come from. */
  sources: z.array(z.string().min(1)).optional(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2021-10-04'),
  from: clock,
  until: clock,
  /** The catalog services the console (or channel) follows. */
  services: z.array(z.string().min(1)).min(1),
  signals: z.array(signal).min(1),
});

export type TimelineFile = z.infer<typeof timelineSchema>;
export type HostSignal = z.infer<typeof hostSignal>;
export type SourceSignal = z.infer<typeof sourceSignal>;
export type ReportSignal = z.infer<typeof reportSignal>;
export type Signal = z.infer<typeof signal>;

/** A signal with its moment resolved to epoch milliseconds. */
export type TimedSignal = Signal & { atMs: number };

export interface Timeline {
  name: string;
  services: string[];
  fromMs: number;
  untilMs: number;
  /** In time order; signals of one moment keep the file's order. */
  signals: TimedSignal[];
}

/** Epoch ms of a timeline time on `date`. */
export function timeOnDate(date: string, at: string): number {
  return Date.parse(at.includes('T') ? at : `${date}T${at.length === 5 ? `${at}:00` : at}Z`);
}
