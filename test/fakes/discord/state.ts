/**
 * In-memory model behind the fake Discord: one guild, its channels and threads, messages, the
 * registered application commands and the interactions the test dispatched. Shapes follow the
 * v10 API closely enough for discord.js 14 to build its structures from them.
 */

const DISCORD_EPOCH = 1_420_070_400_000n;

/** Monotonic, unique, real-looking (18-19 digit) snowflakes. */
export class Snowflakes {
  private last = 0n;
  next(): string {
    const fromClock = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
    this.last = fromClock > this.last ? fromClock : this.last + 1n;
    return this.last.toString();
  }
}

export const CHANNEL_TYPES = {
  text: 0,
  dm: 1,
  announcement: 5,
  publicThread: 11,
  forum: 15,
} as const;

export interface ThreadMetadata {
  archived: boolean;
  locked: boolean;
  auto_archive_duration: number;
  archive_timestamp: string;
}

export interface FakeChannel {
  id: string;
  type: number;
  name: string;
  guild_id: string;
  parent_id: string | null;
  position: number;
  permission_overwrites: unknown[];
  owner_id?: string;
  thread_metadata?: ThreadMetadata;
  message_count?: number;
  [extra: string]: unknown;
}

export interface AllowedMentions {
  parse?: string[];
  roles?: string[];
  users?: string[];
  replied_user?: boolean;
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  guild_id: string;
  author: Record<string, unknown>;
  content: string;
  embeds: Record<string, unknown>[];
  components: unknown[];
  attachments: unknown[];
  timestamp: string;
  edited_timestamp: string | null;
  tts: false;
  pinned: false;
  type: 0;
  flags: number;
  /** What Discord would actually ping, computed from content and allowed_mentions. */
  mention_everyone: boolean;
  mentions: { id: string }[];
  mention_roles: string[];
  nonce?: string | number;
  thread?: FakeChannel;
  /** As sent, for assertions (Discord itself does not echo it). */
  allowed_mentions?: AllowedMentions;
}

export interface RegisteredCommand extends Record<string, unknown> {
  id: string;
  name: string;
}

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  createdAt: number;
  payload: Record<string, unknown>;
  /** Initial callbacks received (Discord accepts exactly one). */
  callbacks: { type: number; data?: Record<string, unknown>; at: number }[];
  /** The original response and follow-ups as messages, in order. */
  messages: FakeMessage[];
  deletedOriginal: boolean;
}

const MENTION = {
  user: /<@!?(\d{17,20})>/g,
  role: /<@&(\d{17,20})>/g,
  everyone: /@(everyone|here)/,
};

/** Applies Discord's allowed_mentions rules: with none given, everything in content pings. */
export function computeMentions(
  content: string,
  allowed: AllowedMentions | undefined,
): Pick<FakeMessage, 'mention_everyone' | 'mentions' | 'mention_roles'> {
  const parse = allowed ? (allowed.parse ?? []) : ['everyone', 'users', 'roles'];
  const users = [...content.matchAll(MENTION.user)].map((m) => m[1] as string);
  const roles = [...content.matchAll(MENTION.role)].map((m) => m[1] as string);
  const userOk = (id: string) => parse.includes('users') || (allowed?.users ?? []).includes(id);
  const roleOk = (id: string) => parse.includes('roles') || (allowed?.roles ?? []).includes(id);
  return {
    mention_everyone: parse.includes('everyone') && MENTION.everyone.test(content),
    mentions: [...new Set(users.filter(userOk))].map((id) => ({ id })),
    mention_roles: [...new Set(roles.filter(roleOk))],
  };
}

export interface FakeStateOptions {
  guildId: string;
  botUser: Record<string, unknown> & { id: string };
}

export class FakeState {
  readonly ids = new Snowflakes();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, FakeMessage[]>();
  /** `global` or a guild id -> registered commands. */
  readonly commands = new Map<string, RegisteredCommand[]>();
  readonly interactions = new Map<string, InteractionRecord>();
  /** `<channel id>:<nonce>` -> message, for enforce_nonce (per author; the fake has one author). */
  readonly nonces = new Map<string, { message: FakeMessage; at: number }>();
  /** Attachment id -> the bytes uploaded (attachments.ts). */
  readonly attachmentBytes = new Map<string, Buffer>();

  constructor(readonly options: FakeStateOptions) {}

  addChannel(partial: Partial<FakeChannel> & { name: string; type?: number }): FakeChannel {
    const channel: FakeChannel = {
      id: this.ids.next(),
      type: CHANNEL_TYPES.text,
      guild_id: this.options.guildId,
      parent_id: null,
      position: this.channels.size,
      permission_overwrites: [],
      topic: null,
      nsfw: false,
      rate_limit_per_user: 0,
      ...partial,
    };
    this.channels.set(channel.id, channel);
    this.messages.set(channel.id, []);
    return channel;
  }

  /** Deleting a channel makes every route on it answer 10003 Unknown Channel. */
  removeChannel(id: string): void {
    this.channels.delete(id);
  }

  newMessage(channelId: string, body: Record<string, unknown>): FakeMessage {
    const content = typeof body.content === 'string' ? body.content : '';
    const allowed = body.allowed_mentions as AllowedMentions | undefined;
    const message: FakeMessage = {
      id: this.ids.next(),
      channel_id: channelId,
      guild_id: this.options.guildId,
      author: { ...this.options.botUser },
      content,
      embeds: (body.embeds as Record<string, unknown>[] | undefined) ?? [],
      components: Array.isArray(body.components) ? body.components : [],
      attachments: [],
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      pinned: false,
      type: 0,
      flags: typeof body.flags === 'number' ? body.flags : 0,
      ...computeMentions(content, allowed),
      ...(body.nonce !== undefined ? { nonce: body.nonce as string | number } : {}),
      ...(allowed ? { allowed_mentions: allowed } : {}),
    };
    return message;
  }

  store(message: FakeMessage): FakeMessage {
    const list = this.messages.get(message.channel_id) ?? [];
    list.push(message);
    this.messages.set(message.channel_id, list);
    return message;
  }

  findMessage(channelId: string, messageId: string): FakeMessage | undefined {
    return this.messages.get(channelId)?.find((m) => m.id === messageId);
  }

  newThread(parent: FakeChannel, id: string, name: string, autoArchive: number): FakeChannel {
    const thread = this.addChannel({
      id,
      name,
      type: CHANNEL_TYPES.publicThread,
      parent_id: parent.id,
      owner_id: this.options.botUser.id,
      message_count: 0,
      member_count: 1,
      flags: 0,
      thread_metadata: {
        archived: false,
        locked: false,
        auto_archive_duration: autoArchive,
        archive_timestamp: new Date().toISOString(),
      },
    });
    return thread;
  }

  /** Threads (active or not) whose parent is `channelId`. */
  threadsOf(channelId: string): FakeChannel[] {
    return [...this.channels.values()].filter(
      (c) => c.parent_id === channelId && c.thread_metadata,
    );
  }
}
