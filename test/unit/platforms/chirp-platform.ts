import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { definePlatform } from '../../../adapters/platform.js';
import type { CommandDefinition, CommandServices } from '../../../commands/command.js';
import { parseCommandText } from '../../../commands/parse-text.js';
import { runCommand } from '../../../commands/registry.js';
import { formatMention, type MentionSyntax } from '../../../commands/values.js';
import { ConfigError } from '../../../src/config.js';
import type { ChatAdapter } from '../../../src/delivery/chat-adapter.js';
import { DeliveryError } from '../../../src/delivery/chat-adapter.js';

/**
 * "Chirp", a chat platform that exists only in this test: text commands like Slack's, Matrix-like
 * mentions (`@alice:example.org` for a user, `@room` for everyone in the room), and a REST API
 * where a message may reply to another. Everything a real platform adds lives in this one file.
 */

const CHIRP_USER = /^@[a-z0-9._-]+:[a-z0-9.-]+$/i;

export const chirpMentions: MentionSyntax = {
  parse(text) {
    if (text.toLowerCase() === '@room') return 'channel';
    return CHIRP_USER.test(text) ? { user: text } : undefined;
  },
  format: (mention) => ('user' in mention ? mention.user : `@${mention.role}`),
};

const CHIRP_CONFIG = {
  CHIRP_TOKEN: { example: 'chirp-0123456789', schema: z.string().min(12).optional() },
  CHIRP_API_URL: { example: 'https://chirp.example/api', schema: z.url().optional() },
} as const;

export const chirpPlatform = definePlatform({
  platform: 'chirp',
  config: {
    spec: CHIRP_CONFIG,
    check(values) {
      if (values.CHIRP_TOKEN && !values.CHIRP_API_URL) {
        throw new ConfigError(
          'CHIRP_API_URL',
          'is required with CHIRP_TOKEN',
          'https://chirp.example/api',
        );
      }
    },
  },
  mentions: chirpMentions,
  create: (settings, { commands, services }) =>
    settings.CHIRP_TOKEN && settings.CHIRP_API_URL
      ? createChirpAdapter(settings.CHIRP_API_URL, settings.CHIRP_TOKEN, commands, services)
      : undefined,
});

function createChirpAdapter(
  apiUrl: string,
  token: string,
  commands: readonly CommandDefinition[],
  services: CommandServices,
): ChatAdapter {
  const post = async (path: string, body: unknown): Promise<{ id: string }> => {
    const res = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new DeliveryError('transient', `chirp answered ${res.status}`);
    return (await res.json()) as { id: string };
  };
  return {
    platform: 'chirp',
    async start() {},
    async stop() {},
    async deliver({ delivery, thread }) {
      const { event, channel, mention } = delivery;
      const line = `${event.serviceName}: ${event.subject.title} (${event.type})`;
      if (!thread) {
        const ping = mention === 'none' ? '' : `${formatMention(mention, chirpMentions)} `;
        const { id } = await post(`/rooms/${channel.channelId}/messages`, { text: ping + line });
        return { channelId: channel.channelId, rootId: id };
      }
      await post(`/rooms/${channel.channelId}/messages`, { text: line, replyTo: thread.rootId });
      return undefined;
    },
    routes: [
      {
        method: 'POST',
        path: '/chirp/commands',
        async handle(req, res) {
          const input = JSON.parse(await readBody(req)) as {
            room: string;
            user: string;
            text: string;
          };
          const parsed = parseCommandText(input.text, { mentions: chirpMentions, commands });
          const reply = parsed.ok
            ? await runCommand(
                parsed.command,
                {
                  channel: { platform: 'chirp', workspaceId: '', channelId: input.room },
                  userId: input.user,
                  canManage: true,
                  checkMention: async () => ({ ok: true }),
                  services,
                },
                parsed.options,
              )
            : parsed.reply;
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
        },
      },
    ],
  };
}

export interface ChirpMessage {
  room: string;
  id: string;
  text: string;
  replyTo?: string;
}

/** Chirp's side: a real HTTP server that records the messages it accepts. */
export async function startFakeChirp(): Promise<{
  url: string;
  messages: ChirpMessage[];
  close(): Promise<void>;
}> {
  const messages: ChirpMessage[] = [];
  const server: Server = createServer(async (req, res) => {
    const room = /^\/rooms\/([^/]+)\/messages$/.exec(req.url ?? '')?.[1];
    if (req.method !== 'POST' || !room) return res.writeHead(404).end();
    const body = JSON.parse(await readBody(req)) as { text: string; replyTo?: string };
    const id = `m${messages.length + 1}`;
    messages.push({ room, id, ...body });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}
