import type { RecordedCall } from '../fakes/discord/index.js';
import type { BotProcess } from '../helpers/bot-process.js';
import type { Fanout } from './fanout-fixture.js';

/**
 * When the crash storm kills the bot. Half the moments are plain timers; the others are the
 * windows where a crash can duplicate a message, hit on purpose: the n-th request of a kind has
 * just taken effect at a fake and its answer is still on the way (the fakes hold every answer a
 * little), so the bot dies between the send and the record of it.
 */
export type KillMoment =
  | { kind: 'timer'; afterMs: number }
  | { kind: EffectKind; nth: number; orAfterMs: number };

export const EFFECT_KINDS = [
  'slack root',
  'slack reply',
  'slack edit',
  'discord root',
  'discord thread',
  'discord reply',
  'discord edit',
] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];

/** `count` moments drawn from `random`. */
export function killMoments(random: () => number, count: number): KillMoment[] {
  const between = (min: number, max: number) => Math.round(min + random() * (max - min));
  return Array.from({ length: count }, (): KillMoment => {
    if (random() < 0.5) return { kind: 'timer', afterMs: between(0, 3_000) };
    const kind = EFFECT_KINDS[Math.floor(random() * EFFECT_KINDS.length)] as EffectKind;
    // A kind whose stage is over by then never comes: the timer kills instead.
    return { kind, nth: between(1, 40), orAfterMs: 4_000 };
  });
}

export const describeMoment = (m: KillMoment): string =>
  m.kind === 'timer' ? `${m.afterMs} ms` : `${m.kind} #${m.nth}`;

/**
 * Kills `bot` at `moment`, counted from now (the bot has just said it started). Resolves with
 * what actually triggered the kill.
 */
export async function killAt(fan: Fanout, bot: BotProcess, moment: KillMoment): Promise<string> {
  if (moment.kind === 'timer') {
    await new Promise((r) => setTimeout(r, moment.afterMs));
    await bot.kill('SIGKILL');
    return describeMoment(moment);
  }
  const threads = new Set(fan.discordChannels.map((c) => c.id));
  let seen = 0;
  let triggered: () => void = () => {};
  const hit = new Promise<string>((resolve) => {
    triggered = () => resolve(describeMoment(moment));
  });
  const count = (kind: EffectKind | undefined) => {
    if (kind !== moment.kind || ++seen !== moment.nth) return;
    // Synchronous, before the fake lets the answer go: the bot never hears it.
    void bot.kill('SIGKILL');
    triggered();
  };
  const offSlack = fan.slack.onEffect((method, args) => count(slackKind(method, args)));
  const offDiscord = fan.discord.onEffect((call) => count(discordKind(call, threads)));
  const timer = new Promise<string>((resolve) =>
    setTimeout(
      () => resolve(`${moment.kind} #${moment.nth} not reached: ${moment.orAfterMs} ms`),
      moment.orAfterMs,
    ),
  );
  try {
    const what = await Promise.race([hit, timer]);
    await bot.kill('SIGKILL');
    return what;
  } finally {
    offSlack();
    offDiscord();
  }
}

function slackKind(method: string, args: Record<string, unknown>): EffectKind | undefined {
  if (method === 'chat.update') return 'slack edit';
  if (method !== 'chat.postMessage') return undefined;
  return args.thread_ts === undefined ? 'slack root' : 'slack reply';
}

function discordKind(call: RecordedCall, channels: Set<string>): EffectKind | undefined {
  if (call.route === 'PATCH /channels/:id/messages/:id') return 'discord edit';
  if (call.route === 'POST /channels/:id/messages/:id/threads') return 'discord thread';
  if (call.route !== 'POST /channels/:id/messages') return undefined;
  const channelId = call.path.split('/')[2] ?? '';
  return channels.has(channelId) ? 'discord root' : 'discord reply';
}
