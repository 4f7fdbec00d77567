/**
 * Application-level routes of the fake: gateway discovery, the bot user and application, command
 * registration (global and guild, PUT = bulk overwrite), interaction callbacks (exactly one,
 * within the window, like Discord) and the interaction webhooks used for edits and follow-ups.
 */
import { attachFiles, type UploadedFile } from './attachments.js';
import { apiError, json, type RestRequest, type RestResponse, type RouteDef } from './rest.js';
import {
  CHANNEL_TYPES,
  type FakeMessage,
  type FakeState,
  type InteractionRecord,
  type RegisteredCommand,
} from './state.js';
import { validateMessageBody } from './validate.js';

export interface FakeContext {
  state: FakeState;
  appId: string;
  botUser: Record<string, unknown> & { id: string };
  gatewayUrl(): string;
  /** Where attachment URLs point (the fake's own server). */
  cdnUrl(): string;
  /** Discord's 3 s to acknowledge an interaction. */
  interactionWindowMs: number;
  /** How long enforce_nonce remembers a nonce ("a few minutes" on Discord). */
  nonceWindowMs: number;
}

const EPHEMERAL = 64;
const LOADING = 128;

const invalidForm = (errors: string[]): RestResponse => ({
  status: 400,
  body: { message: 'Invalid Form Body', code: 50035, errors },
});

function putCommands(ctx: FakeContext, scope: string, body: unknown): RestResponse {
  if (!Array.isArray(body)) return invalidForm(['body must be an array of commands']);
  const previous = ctx.state.commands.get(scope) ?? [];
  const stored: RegisteredCommand[] = (body as Record<string, unknown>[]).map((cmd) => {
    const name = String(cmd.name);
    const kept = previous.find((p) => p.name === name);
    return {
      ...cmd,
      id: kept?.id ?? ctx.state.ids.next(),
      application_id: ctx.appId,
      version: ctx.state.ids.next(),
      type: cmd.type ?? 1,
      name,
      default_member_permissions: cmd.default_member_permissions ?? null,
      nsfw: false,
      ...(scope === 'global' ? {} : { guild_id: scope }),
    };
  });
  ctx.state.commands.set(scope, stored);
  return json(stored);
}

const findInteraction = (ctx: FakeContext, token: string): InteractionRecord | undefined =>
  [...ctx.state.interactions.values()].find((i) => i.token === token);

function interactionMessage(
  ctx: FakeContext,
  rec: InteractionRecord,
  data: Record<string, unknown>,
  files: readonly UploadedFile[] = [],
  previous?: FakeMessage,
): FakeMessage {
  const channelId = String((rec.payload.channel_id as string | undefined) ?? '0');
  const message = ctx.state.newMessage(channelId, data);
  attachFiles(ctx.state, message, { body: data, files, previous }, ctx.cdnUrl());
  return message;
}

function callback(ctx: FakeContext, req: RestRequest): RestResponse {
  const [id, token] = req.params as [string, string];
  const rec = ctx.state.interactions.get(id);
  if (!rec || rec.token !== token) return apiError(404, 10062, 'Unknown interaction');
  if (Date.now() - rec.createdAt > ctx.interactionWindowMs) {
    return apiError(404, 10062, 'Unknown interaction');
  }
  if (rec.callbacks.length > 0) {
    return apiError(400, 40060, 'Interaction has already been acknowledged.');
  }
  const type = Number(req.body?.type);
  const data = (req.body?.data ?? undefined) as Record<string, unknown> | undefined;
  if (type === 4 && data) {
    const errors = validateMessageBody(data, true);
    if (errors.length) return invalidForm(errors);
    rec.messages.push(interactionMessage(ctx, rec, data, req.files));
  }
  if (type === 5) {
    // A deferral shows a "thinking…" original (flag 128, LOADING) until it is edited or deleted.
    const flags = LOADING | (Number(data?.flags ?? 0) & EPHEMERAL);
    rec.messages.push(interactionMessage(ctx, rec, { content: '', flags }));
  }
  if (type === 8 && !Array.isArray(data?.choices)) return invalidForm(['choices missing']);
  // Updating the message a component is on makes sense only for a component interaction.
  if ((type === 6 || type === 7) && rec.type !== 3) return invalidForm(['type: not a component']);
  rec.callbacks.push({ type, ...(data ? { data } : {}), at: Date.now() });
  if (req.query.get('with_response') !== 'true') return { status: 204 };
  const message = rec.messages[0];
  return json({
    interaction: { id, type: rec.type, response_message_id: message?.id ?? null },
    resource: { type, ...(message ? { message } : {}) },
  });
}

function editOriginal(ctx: FakeContext, req: RestRequest): RestResponse {
  const rec = findInteraction(ctx, req.params[1] as string);
  if (!rec || rec.callbacks.length === 0) return apiError(404, 10015, 'Unknown Webhook');
  const errors = validateMessageBody(req.body ?? {}, false);
  if (errors.length) return invalidForm(errors);
  const original = rec.messages[0];
  const next = interactionMessage(ctx, rec, { ...original, ...req.body }, req.files, original);
  if (original) {
    next.id = original.id;
    next.flags = original.flags & ~LOADING;
    next.edited_timestamp = new Date().toISOString();
    rec.messages[0] = next;
  } else {
    rec.messages.push(next);
  }
  return json(next);
}

export function appRoutes(ctx: FakeContext): RouteDef[] {
  const scopeOf = (req: RestRequest) => req.params[1] ?? 'global';
  return [
    {
      method: 'GET',
      pattern: '/gateway/bot',
      auth: 'bot',
      handle: () =>
        json({
          url: ctx.gatewayUrl(),
          shards: 1,
          session_start_limit: {
            total: 1000,
            remaining: 999,
            reset_after: 14_400_000,
            max_concurrency: 1,
          },
        }),
    },
    {
      method: 'GET',
      pattern: '/gateway',
      auth: 'none',
      handle: () => json({ url: ctx.gatewayUrl() }),
    },
    { method: 'GET', pattern: '/users/@me', auth: 'bot', handle: () => json(ctx.botUser) },
    {
      // Opens (or finds) the bot's DM channel with a user, as Discord does.
      method: 'POST',
      pattern: '/users/@me/channels',
      auth: 'bot',
      handle: (req) => {
        const recipient = (req.body as { recipient_id?: unknown } | undefined)?.recipient_id;
        if (typeof recipient !== 'string') return apiError(400, 50035, 'Invalid Form Body');
        const name = `dm-${recipient}`;
        const channel =
          [...ctx.state.channels.values()].find((c) => c.name === name) ??
          ctx.state.addChannel({ name, type: CHANNEL_TYPES.dm });
        return json({ ...channel, recipients: [{ id: recipient }] });
      },
    },
    {
      method: 'GET',
      pattern: '/applications/@me',
      auth: 'bot',
      handle: () =>
        json({
          id: ctx.appId,
          name: 'outage-bot',
          description: '',
          icon: null,
          flags: 0,
          bot: ctx.botUser,
        }),
    },
    ...(
      ['/applications/:app/commands', '/applications/:app/guilds/:guild/commands'] as const
    ).flatMap((pattern): RouteDef[] => [
      {
        method: 'GET',
        pattern,
        auth: 'bot',
        handle: (req) => json(ctx.state.commands.get(scopeOf(req)) ?? []),
      },
      {
        method: 'PUT',
        pattern,
        auth: 'bot',
        handle: (req) => putCommands(ctx, scopeOf(req), req.body),
      },
    ]),
    {
      method: 'POST',
      pattern: '/interactions/:id/:token/callback',
      auth: 'none',
      limited: false,
      handle: (req) => callback(ctx, req),
    },
    {
      method: 'GET',
      pattern: '/webhooks/:app/:token/messages/@original',
      auth: 'none',
      handle: (req) => {
        const original = findInteraction(ctx, req.params[1] as string)?.messages[0];
        return original ? json(original) : apiError(404, 10008, 'Unknown Message');
      },
    },
    {
      method: 'PATCH',
      pattern: '/webhooks/:app/:token/messages/@original',
      auth: 'none',
      handle: (req) => editOriginal(ctx, req),
    },
    {
      method: 'DELETE',
      pattern: '/webhooks/:app/:token/messages/@original',
      auth: 'none',
      handle: (req) => {
        const rec = findInteraction(ctx, req.params[1] as string);
        if (!rec?.messages[0]) return apiError(404, 10008, 'Unknown Message');
        rec.deletedOriginal = true;
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      pattern: '/webhooks/:app/:token',
      auth: 'none',
      handle: (req) => {
        const rec = findInteraction(ctx, req.params[1] as string);
        if (!rec || rec.callbacks.length === 0) return apiError(404, 10015, 'Unknown Webhook');
        const errors = validateMessageBody(req.body ?? {}, true);
        if (errors.length) return invalidForm(errors);
        const message = interactionMessage(ctx, rec, req.body, req.files);
        rec.messages.push(message);
        return json(message);
      },
    },
  ];
}

export { invalidForm };
