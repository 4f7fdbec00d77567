/**
 * Channel routes of the fake: channels (GET, PATCH for thread archive state), messages (create
 * with nonce + enforce_nonce, fetch, list, edit), threads started from a message (thread id =
 * message id, a second one is refused with 160004), forum posts (a thread with its starter
 * message) and the guild's active threads.
 */

import { apiError, json, type RestRequest, type RestResponse, type RouteDef } from './rest.js';
import type { FakeContext } from './routes-app.js';
import { invalidForm } from './routes-app.js';
import { CHANNEL_TYPES, computeMentions, type FakeChannel, type FakeMessage } from './state.js';
import { validateMessageBody } from './validate.js';

const unknownChannel = () => apiError(404, 10003, 'Unknown Channel');
const unknownMessage = () => apiError(404, 10008, 'Unknown Message');
const isForum = (c: FakeChannel) => c.type === CHANNEL_TYPES.forum;

function createMessage(ctx: FakeContext, channel: FakeChannel, body: Record<string, unknown>) {
  const errors = validateMessageBody(body, true);
  if (errors.length) return invalidForm(errors);
  if (isForum(channel)) return apiError(400, 50008, 'Cannot send messages in a non-text channel');
  if (channel.thread_metadata?.locked) return apiError(403, 160005, 'Thread is locked');
  if (channel.thread_metadata?.archived) {
    return apiError(400, 50083, 'Thread is archived');
  }
  // Discord checks a nonce among the author's recent messages in the channel it is posted to.
  const nonce = body.nonce === undefined ? undefined : `${channel.id}:${String(body.nonce)}`;
  if (nonce !== undefined && body.enforce_nonce === true) {
    const seen = ctx.state.nonces.get(nonce);
    if (seen && Date.now() - seen.at < ctx.nonceWindowMs) return json(seen.message);
  }
  const message = ctx.state.store(ctx.state.newMessage(channel.id, body));
  if (nonce !== undefined) ctx.state.nonces.set(nonce, { message, at: Date.now() });
  if (channel.thread_metadata) channel.message_count = (channel.message_count ?? 0) + 1;
  return json(message);
}

function editMessage(ctx: FakeContext, req: RestRequest): RestResponse {
  const [channelId, messageId] = req.params as [string, string];
  if (!ctx.state.channels.has(channelId)) return unknownChannel();
  const message = ctx.state.findMessage(channelId, messageId);
  if (!message) return unknownMessage();
  const errors = validateMessageBody(req.body ?? {}, false);
  if (errors.length) return invalidForm(errors);
  const body = req.body as Partial<FakeMessage>;
  if (body.content !== undefined) message.content = body.content ?? '';
  if (body.embeds !== undefined) message.embeds = body.embeds ?? [];
  // Omitted components are kept, as on Discord; [] removes them.
  if (body.components !== undefined) message.components = body.components ?? [];
  if (body.allowed_mentions !== undefined) message.allowed_mentions = body.allowed_mentions;
  Object.assign(message, computeMentions(message.content, message.allowed_mentions));
  message.edited_timestamp = new Date().toISOString();
  return json(message);
}

function startThreadFromMessage(ctx: FakeContext, req: RestRequest): RestResponse {
  const [channelId, messageId] = req.params as [string, string];
  const channel = ctx.state.channels.get(channelId);
  if (!channel) return unknownChannel();
  const message = ctx.state.findMessage(channelId, messageId);
  if (!message) return unknownMessage();
  if (message.thread) {
    return apiError(400, 160004, 'A thread has already been created for this message');
  }
  const name = String(req.body?.name ?? '');
  if (name.length < 1 || name.length > 100) return invalidForm(['name must be 1-100 chars']);
  const thread = ctx.state.newThread(
    channel,
    message.id,
    name,
    req.body?.auto_archive_duration ?? 4320,
  );
  message.thread = thread;
  return json(thread, 201);
}

function startForumPost(ctx: FakeContext, req: RestRequest): RestResponse {
  const channel = ctx.state.channels.get(req.params[0] as string);
  if (!channel) return unknownChannel();
  const name = String(req.body?.name ?? '');
  if (name.length < 1 || name.length > 100) return invalidForm(['name must be 1-100 chars']);
  const auto = req.body?.auto_archive_duration ?? 4320;
  if (!isForum(channel)) {
    return json(ctx.state.newThread(channel, ctx.state.ids.next(), name, auto), 201);
  }
  const starter = (req.body?.message ?? {}) as Record<string, unknown>;
  const errors = validateMessageBody(starter, true);
  if (errors.length) return invalidForm(errors.map((e) => `message.${e}`));
  const thread = ctx.state.newThread(channel, ctx.state.ids.next(), name, auto);
  const message = ctx.state.newMessage(thread.id, starter);
  message.id = thread.id;
  ctx.state.store(message);
  thread.message_count = 1;
  return json({ ...thread, message }, 201);
}

function patchChannel(ctx: FakeContext, req: RestRequest): RestResponse {
  const channel = ctx.state.channels.get(req.params[0] as string);
  if (!channel) return unknownChannel();
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (typeof body.name === 'string') channel.name = body.name;
  if (channel.thread_metadata) {
    if (typeof body.archived === 'boolean') channel.thread_metadata.archived = body.archived;
    if (typeof body.locked === 'boolean') channel.thread_metadata.locked = body.locked;
    channel.thread_metadata.archive_timestamp = new Date().toISOString();
  }
  return json(channel);
}

export function channelRoutes(ctx: FakeContext): RouteDef[] {
  const channelOr404 = (id: string) => ctx.state.channels.get(id);
  return [
    {
      method: 'GET',
      pattern: '/channels/:channel',
      auth: 'bot',
      handle: (req) => {
        const channel = channelOr404(req.params[0] as string);
        return channel ? json(channel) : unknownChannel();
      },
    },
    {
      method: 'PATCH',
      pattern: '/channels/:channel',
      auth: 'bot',
      handle: (req) => patchChannel(ctx, req),
    },
    {
      method: 'GET',
      pattern: '/channels/:channel/messages',
      auth: 'bot',
      handle: (req) => {
        const id = req.params[0] as string;
        if (!channelOr404(id)) return unknownChannel();
        const limit = Number(req.query.get('limit') ?? 50);
        return json([...(ctx.state.messages.get(id) ?? [])].reverse().slice(0, limit));
      },
    },
    {
      method: 'POST',
      pattern: '/channels/:channel/messages',
      auth: 'bot',
      handle: (req) => {
        const channel = channelOr404(req.params[0] as string);
        return channel ? createMessage(ctx, channel, req.body ?? {}) : unknownChannel();
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channel/messages/:message',
      auth: 'bot',
      handle: (req) => {
        const [channelId, messageId] = req.params as [string, string];
        if (!channelOr404(channelId)) return unknownChannel();
        const message = ctx.state.findMessage(channelId, messageId);
        return message ? json(message) : unknownMessage();
      },
    },
    {
      method: 'PATCH',
      pattern: '/channels/:channel/messages/:message',
      auth: 'bot',
      handle: (req) => editMessage(ctx, req),
    },
    {
      method: 'POST',
      pattern: '/channels/:channel/messages/:message/threads',
      auth: 'bot',
      handle: (req) => startThreadFromMessage(ctx, req),
    },
    {
      method: 'POST',
      pattern: '/channels/:channel/threads',
      auth: 'bot',
      handle: (req) => startForumPost(ctx, req),
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/threads/active',
      auth: 'bot',
      handle: () => {
        const threads = [...ctx.state.channels.values()].filter(
          (c) => c.thread_metadata && !c.thread_metadata.archived,
        );
        return json({ threads, members: [] });
      },
    },
  ];
}
