import type { App, RespondArguments, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type {
  CommandDefinition,
  CommandServices,
  MentionCheck,
  Reply,
} from '../../commands/command.js';
import { parseCommandText } from '../../commands/parse-text.js';
import { runCommand } from '../../commands/registry.js';
import type { MentionKind } from '../../src/incidents/subscription.js';
import { slackMentionSyntax } from './mention-syntax.js';
import { renderCommandReply, type SlackCommandResponse } from './render-reply.js';
import { sharePicture } from './share-picture.js';

export interface SlashCommandDeps {
  commands: readonly CommandDefinition[];
  services: CommandServices;
  canManage: (userId: string) => Promise<boolean>;
  checkMention: (userId: string, mention: MentionKind) => Promise<MentionCheck>;
  logger: Logger;
  /** Slack wants the ack within 3 s; a command still running then is answered via response_url. */
  ackBudgetMs: number;
}

export interface SlashCommandInput {
  text: string;
  teamId: string;
  channelId: string;
  userId: string;
}

const WORKING: SlackCommandResponse = {
  response_type: 'ephemeral',
  text: 'Working on it…',
  blocks: [
    { type: 'section', text: { type: 'mrkdwn', text: ':hourglass_flowing_sand: Working on it…' } },
  ],
};

/** Text -> command -> Reply. Never throws: bad input and failures become short replies. */
export async function answerSlashCommand(
  input: SlashCommandInput,
  deps: SlashCommandDeps,
): Promise<Reply> {
  const parsed = parseCommandText(input.text, {
    mentions: slackMentionSyntax,
    commands: deps.commands,
  });
  if (!parsed.ok) return parsed.reply;
  const { command, options } = parsed;
  const policy = deps.services.managePolicy;
  // users.info is only worth a call when the answer matters.
  const canManage =
    policy === 'everyone' || (command.manages ? await deps.canManage(input.userId) : false);
  deps.logger.info(
    { command: command.name, user: input.userId, channel: input.channelId, canManage },
    'slash command',
  );
  return runCommand(
    command,
    {
      channel: { platform: 'slack', workspaceId: input.teamId, channelId: input.channelId },
      userId: input.userId,
      canManage,
      checkMention: (mention) => deps.checkMention(input.userId, mention),
      services: deps.services,
    },
    options,
  );
}

/** Registers `/outage` (or the configured name) on a Bolt app. */
export function registerSlashCommand(app: App, name: string, deps: SlashCommandDeps): void {
  app.command(name, async ({ command, ack, respond, client }) => {
    const work = answerSlashCommand(
      {
        text: command.text ?? '',
        teamId: command.team_id,
        channelId: command.channel_id,
        userId: command.user_id,
      },
      deps,
    ).catch((err: unknown): Reply => {
      deps.logger.error({ err }, 'slash command failed');
      return { visibility: 'ephemeral', text: 'Something went wrong; try again.', error: true };
    });
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), deps.ackBudgetMs);
    });
    const quick = await Promise.race([work, budget]);
    clearTimeout(timer);
    if (quick && !quick.image) {
      await ack(renderCommandReply(quick));
      return;
    }
    // A picture goes up as its own channel message (with the figures): the ack shows nothing.
    await ack(quick ? undefined : WORKING);
    const reply = quick ?? (await work);
    const late = await lateResponse(reply, quick === undefined, command.channel_id, client, deps);
    if (!late) return;
    await respond(late).catch((err: unknown) =>
      deps.logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'could not send the late command reply to response_url',
      ),
    );
  });
}

/** What goes to response_url after the ack: the reply, or what became of its picture. */
async function lateResponse(
  reply: Reply,
  working: boolean,
  channelId: string,
  client: webApi.WebClient,
  deps: SlashCommandDeps,
): Promise<RespondArguments | undefined> {
  if (!reply.image) return { ...renderCommandReply(reply), replace_original: false };
  const shared = await sharePicture(client, channelId, reply, deps.logger);
  if (!shared.ok) return { ...renderCommandReply(shared.fallback), replace_original: working };
  // "Working on it…" would otherwise stay under the picture.
  return working ? { ...renderCommandReply(POSTED), replace_original: true } : undefined;
}

const POSTED: Reply = { visibility: 'ephemeral', text: 'Posted the picture in this channel.' };
