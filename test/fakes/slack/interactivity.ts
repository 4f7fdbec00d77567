import { sign } from './signer.js';
import type { Workspace } from './workspace.js';

/**
 * Interactivity as Slack does it: the `actions` blocks a message may carry (checked like Slack
 * checks them, so a bad button fails the post), and the `block_actions` payload a press sends.
 * Over HTTP the payload is a signed form post with one field, `payload=<JSON>`; over Socket Mode
 * it is an `interactive` envelope (FakeSocketMode.deliver). A link button is reported too, with
 * its url, after the browser opened it.
 */

const LIMITS = {
  elements: 25,
  buttonText: 75,
  actionId: 255,
  blockId: 255,
  value: 2_000,
  url: 3_000,
};

/** Whether an `actions` block is one Slack accepts (buttons only: all this bot sends). */
export function validActionsBlock(block: Record<string, unknown>, actionIds: Set<string>): boolean {
  const els = block.elements;
  if (!Array.isArray(els) || els.length === 0 || els.length > LIMITS.elements) return false;
  if (block.block_id !== undefined && !shortString(block.block_id, LIMITS.blockId)) return false;
  return els.every((el) => {
    if (typeof el !== 'object' || el === null) return false;
    const e = el as Record<string, unknown>;
    const text = e.text as Record<string, unknown> | undefined;
    if (e.type !== 'button' || text?.type !== 'plain_text') return false;
    if (!shortString(text.text, LIMITS.buttonText)) return false;
    if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') return false;
    if (e.value !== undefined && !shortString(e.value, LIMITS.value)) return false;
    if (e.url !== undefined && !(shortString(e.url, LIMITS.url) && /^https?:\/\//.test(e.url))) {
      return false;
    }
    if (e.action_id === undefined) return true;
    // action_ids are unique within a message.
    if (!shortString(e.action_id, LIMITS.actionId) || actionIds.has(e.action_id)) return false;
    actionIds.add(e.action_id);
    return true;
  });
}

const shortString = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;

export interface ButtonPressInput {
  channelId: string;
  /** The message the button is on. */
  ts: string;
  actionId: string;
  userId?: string;
  responseUrl: string;
}

/**
 * The `block_actions` payload for pressing `actionId` on a message the fake holds. Throws when the
 * message has no such button: nobody can press what Slack does not show.
 */
export function blockActionsPayload(
  workspace: Workspace,
  input: ButtonPressInput,
): Record<string, unknown> {
  const channel = workspace.channels.get(input.channelId);
  const message = channel?.messages.find((m) => m.ts === input.ts);
  if (!channel || !message)
    throw new Error(`fake Slack: no message ${input.ts} in ${input.channelId}`);
  const found = (message.blocks ?? [])
    .filter((b): b is Record<string, unknown> => (b as { type?: unknown }).type === 'actions')
    .flatMap((b) =>
      (b.elements as Record<string, unknown>[]).map((el) => ({ block_id: b.block_id, el })),
    )
    .find(({ el }) => el.action_id === input.actionId);
  if (!found) throw new Error(`fake Slack: message ${input.ts} has no button ${input.actionId}`);
  const userId = input.userId ?? 'U0ADMIN';
  const user = workspace.users.get(userId);
  return {
    type: 'block_actions',
    user: {
      id: userId,
      username: user?.name ?? userId,
      name: user?.name ?? userId,
      team_id: workspace.teamId,
    },
    api_app_id: 'A0FAKE',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: channel.id,
      is_ephemeral: false,
    },
    trigger_id: '1337.42.buttons',
    team: { id: workspace.teamId, domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel.id, name: channel.name },
    message: { type: 'message', ...message },
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        action_id: found.el.action_id,
        block_id: found.block_id,
        text: found.el.text,
        ...(found.el.value !== undefined ? { value: found.el.value } : {}),
        ...(found.el.url !== undefined ? { url: found.el.url } : {}),
        ...(found.el.style !== undefined ? { style: found.el.style } : {}),
        type: 'button',
        action_ts: `${Math.floor(Date.now() / 1000)}.000100`,
      },
    ],
  };
}

/** Posts a press to the bot's /slack/events as Slack does: form field `payload`, signed. */
export async function postBlockActions(
  url: string,
  signingSecret: string,
  payload: Record<string, unknown>,
): Promise<Response> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(signingSecret, timestamp, body),
    },
    body,
  });
}
