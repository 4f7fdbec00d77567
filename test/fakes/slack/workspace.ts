import { validActionsBlock } from './interactivity.js';

/**
 * The fake Slack's state: channels, their messages and threads, and users. Plain data plus the
 * rules the bot must respect (thread parents exist, chat.update needs a channel id, the bot must be
 * a member to read history), answered the way Slack answers: `{ ok: false, error }`.
 */

export interface FakeMessage {
  ts: string;
  channel: string;
  text: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Set on replies (the parent's ts) and on parents that have replies (their own ts). */
  thread_ts?: string;
  reply_count?: number;
  latest_reply?: string;
  edited?: { ts: string };
  /** Ids of the files shared with this message (files.completeUploadExternal). */
  files?: string[];
  user: string;
  bot_id: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  /** The bot is a member: it may post and read history. */
  member: boolean;
  archived: boolean;
  /** Posting is limited to admins (an announcement channel): the bot's posts get restricted_action. */
  restricted?: boolean;
  /** Every message, roots and replies, in posting order. */
  messages: FakeMessage[];
}

export interface FakeUser {
  id: string;
  name: string;
  is_admin: boolean;
  is_owner: boolean;
  is_primary_owner: boolean;
  /** A guest (multi-channel); is_ultra_restricted is a single-channel guest. */
  is_restricted: boolean;
}

export type ApiResult = { ok: true; [key: string]: unknown } | { ok: false; error: string };

export const BOT_USER_ID = 'U0BOT';
export const BOT_ID = 'B0BOT';

const LIMITS = { text: 40_000, blocks: 50, header: 150, section: 3_000, field: 2_000 };

export class Workspace {
  readonly channels = new Map<string, FakeChannel>();
  readonly users = new Map<string, FakeUser>();
  private counter = 0;

  constructor(readonly teamId: string) {}

  addChannel(id: string, opts: Partial<Omit<FakeChannel, 'id' | 'messages'>> = {}): FakeChannel {
    const channel: FakeChannel = {
      id,
      name: opts.name ?? id.toLowerCase(),
      member: opts.member ?? true,
      archived: opts.archived ?? false,
      messages: [],
    };
    this.channels.set(id, channel);
    return channel;
  }

  setUser(id: string, opts: Partial<Omit<FakeUser, 'id'>> = {}): FakeUser {
    const user: FakeUser = {
      id,
      name: opts.name ?? id.toLowerCase(),
      is_admin: opts.is_admin ?? false,
      is_owner: opts.is_owner ?? false,
      is_primary_owner: opts.is_primary_owner ?? false,
      is_restricted: opts.is_restricted ?? false,
    };
    this.users.set(id, user);
    return user;
  }

  /** Monotonic and unique, shaped like Slack's `seconds.micro`. */
  nextTs(): string {
    this.counter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.counter).padStart(6, '0')}`;
  }

  /** A channel by id, `#name` or name; errors as Slack names them. */
  resolve(ref: unknown, opts: { write?: boolean; idOnly?: boolean } = {}): FakeChannel | string {
    if (typeof ref !== 'string' || ref === '') return 'channel_not_found';
    const byId = this.channels.get(ref);
    const name = ref.replace(/^#/, '');
    const channel =
      byId ?? (opts.idOnly ? undefined : [...this.channels.values()].find((c) => c.name === name));
    if (!channel) return 'channel_not_found';
    if (opts.write && channel.archived) return 'is_archived';
    if (!channel.member) return 'not_in_channel';
    return channel;
  }

  /** The app's DM with a user: a user id given as `channel` posts there, as on Slack. */
  directMessages(userId: string): FakeChannel {
    const id = `D${userId}`;
    return this.channels.get(id) ?? this.addChannel(id, { name: `dm-${userId}` });
  }

  postMessage(args: Record<string, unknown>): ApiResult {
    const dm = typeof args.channel === 'string' && this.users.has(args.channel);
    const channel = dm
      ? this.directMessages(args.channel as string)
      : this.resolve(args.channel, { write: true });
    if (typeof channel === 'string') return { ok: false, error: channel };
    if (channel.restricted) return { ok: false, error: 'restricted_action' };
    const invalid = validateContent(args);
    if (invalid) return { ok: false, error: invalid };
    let parent: FakeMessage | undefined;
    if (args.thread_ts !== undefined) {
      if (typeof args.thread_ts !== 'string') return { ok: false, error: 'invalid_thread_ts' };
      parent = channel.messages.find((m) => m.ts === args.thread_ts);
      if (!parent || (parent.thread_ts !== undefined && parent.thread_ts !== parent.ts)) {
        return { ok: false, error: 'thread_not_found' };
      }
    }
    const message: FakeMessage = {
      ts: this.nextTs(),
      channel: channel.id,
      text: typeof args.text === 'string' ? args.text : '',
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
      ...(isMetadata(args.metadata) ? { metadata: args.metadata } : {}),
    };
    if (parent) {
      message.thread_ts = parent.ts;
      parent.thread_ts = parent.ts;
      parent.reply_count = (parent.reply_count ?? 0) + 1;
      parent.latest_reply = message.ts;
    }
    channel.messages.push(message);
    return {
      ok: true,
      channel: channel.id,
      ts: message.ts,
      message: { type: 'message', ...message },
    };
  }

  update(args: Record<string, unknown>): ApiResult {
    const channel = this.resolve(args.channel, { write: true, idOnly: true });
    if (typeof channel === 'string') return { ok: false, error: channel };
    const message = channel.messages.find((m) => m.ts === args.ts);
    if (!message) return { ok: false, error: 'message_not_found' };
    const invalid = validateContent({ text: 'x', ...args });
    if (invalid) return { ok: false, error: invalid };
    if (typeof args.text === 'string') message.text = args.text;
    // Omitted blocks are kept, as Slack does; [] clears them.
    if (Array.isArray(args.blocks)) message.blocks = args.blocks;
    if (isMetadata(args.metadata)) message.metadata = args.metadata;
    message.edited = { ts: this.nextTs() };
    return { ok: true, channel: channel.id, ts: message.ts, text: message.text, message };
  }

  history(args: Record<string, unknown>): ApiResult {
    const channel = this.resolve(args.channel);
    if (typeof channel === 'string') return { ok: false, error: channel };
    const oldest = Number(args.oldest ?? 0);
    const roots = channel.messages
      .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
      .filter((m) => Number(m.ts) >= oldest)
      .reverse();
    return page(roots, args);
  }

  replies(args: Record<string, unknown>): ApiResult {
    const channel = this.resolve(args.channel);
    if (typeof channel === 'string') return { ok: false, error: channel };
    const parent = channel.messages.find((m) => m.ts === args.ts);
    if (!parent) return { ok: false, error: 'thread_not_found' };
    const thread = channel.messages.filter((m) => m === parent || m.thread_ts === parent.ts);
    return page(thread, args);
  }

  userInfo(args: Record<string, unknown>): ApiResult {
    const user = typeof args.user === 'string' ? this.users.get(args.user) : undefined;
    if (!user) return { ok: false, error: 'user_not_found' };
    return {
      ok: true,
      user: { ...user, team_id: this.teamId, deleted: false, is_bot: false, real_name: user.name },
    };
  }
}

function page(messages: FakeMessage[], args: Record<string, unknown>): ApiResult {
  const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
  const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 1000);
  const start = typeof args.cursor === 'string' && args.cursor ? Number(args.cursor) : 0;
  const slice = messages.slice(start, start + limit).map((m) => {
    const { metadata, ...rest } = m;
    return withMetadata && metadata
      ? { type: 'message', ...rest, metadata }
      : { type: 'message', ...rest };
  });
  const more = start + limit < messages.length;
  return {
    ok: true,
    messages: slice,
    has_more: more,
    response_metadata: { next_cursor: more ? String(start + limit) : '' },
  };
}

function isMetadata(value: unknown): value is FakeMessage['metadata'] {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { event_type?: unknown }).event_type === 'string'
  );
}

/** Slack's documented limits; a message over them is refused, so render bugs fail tests. */
export function validateContent(args: Record<string, unknown>): string | undefined {
  const text = typeof args.text === 'string' ? args.text : '';
  const blocks = args.blocks;
  if (!text && !(Array.isArray(blocks) && blocks.length > 0)) return 'no_text';
  if (text.length > LIMITS.text) return 'msg_too_long';
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks) || blocks.length > LIMITS.blocks) return 'invalid_blocks';
  const actionIds = new Set<string>();
  return blocks.every((b) => validBlock(b, actionIds)) ? undefined : 'invalid_blocks';
}

function validBlock(block: unknown, actionIds: Set<string>): boolean {
  if (typeof block !== 'object' || block === null) return false;
  const b = block as Record<string, unknown>;
  const textOf = (t: unknown, type?: string): string | undefined => {
    if (typeof t !== 'object' || t === null) return undefined;
    const o = t as Record<string, unknown>;
    if (typeof o.text !== 'string' || o.text.length === 0) return undefined;
    if (o.type !== 'plain_text' && o.type !== 'mrkdwn') return undefined;
    if (type && o.type !== type) return undefined;
    return o.text;
  };
  switch (b.type) {
    case 'header': {
      const t = textOf(b.text, 'plain_text');
      return t !== undefined && t.length <= LIMITS.header;
    }
    case 'section': {
      const t = b.text === undefined ? '' : textOf(b.text);
      const fields = b.fields;
      if (t === undefined || t.length > LIMITS.section) return false;
      if (fields === undefined) return t.length > 0;
      if (!Array.isArray(fields) || fields.length > 10) return false;
      return fields.every((f) => {
        const ft = textOf(f);
        return ft !== undefined && ft.length <= LIMITS.field;
      });
    }
    case 'context': {
      const els = b.elements;
      return (
        Array.isArray(els) && els.length > 0 && els.length <= 10 && els.every((e) => textOf(e))
      );
    }
    case 'divider':
      return true;
    case 'actions':
      return validActionsBlock(b, actionIds);
    default:
      return false;
  }
}
