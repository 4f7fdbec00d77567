import type { FakeGateway } from './gateway.js';
import type { FakeState, InteractionRecord } from './state.js';

/** How the fake hands an interaction to the bot and tells when the bot has answered it. */

export interface InteractionIds {
  id: string;
  token: string;
  appId: string;
  guildId: string;
}

/** Records an interaction built by `build` and dispatches it as INTERACTION_CREATE. */
export function dispatchInteraction(
  to: { state: FakeState; gateway: FakeGateway; appId: string; guildId: string },
  build: (ids: InteractionIds) => Record<string, unknown>,
): InteractionRecord {
  const id = to.state.ids.next();
  const token = `itoken-${id}`;
  const payload = build({ id, token, appId: to.appId, guildId: to.guildId });
  const record: InteractionRecord = {
    id,
    token,
    type: payload.type as number,
    createdAt: Date.now(),
    payload,
    callbacks: [],
    messages: [],
    deletedOriginal: false,
  };
  to.state.interactions.set(id, record);
  to.gateway.dispatch('INTERACTION_CREATE', payload);
  return record;
}

/** Whether the interaction has its final answer: a result, a reply, or the edited original. */
export function isAnswered(record: InteractionRecord): boolean {
  const first = record.callbacks[0];
  if (!first) return false;
  if (first.type !== 5) return true;
  // Deferred: answered once the "thinking…" original was edited, or a follow-up came.
  const edited = (record.messages[0]?.flags ?? 128) & 128 ? false : !record.deletedOriginal;
  return edited || record.messages.length > 1;
}

/** Polls `check` (sync or async) every 10 ms until it returns something truthy. */
export async function waitUntil<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  opts: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`fake discord: timed out waiting for ${opts.what ?? 'condition'}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
