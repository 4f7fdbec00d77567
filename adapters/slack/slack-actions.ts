import type { App, BlockButtonAction } from '@slack/bolt';
import type { Logger } from 'pino';
import { parseButtonPress, runButton } from '../../commands/buttons.js';
import type { CommandServices, MentionCheck, Reply } from '../../commands/command.js';
import type { MentionKind } from '../../src/incidents/subscription.js';
import { ACTION_IDS } from './render-buttons.js';
import { renderCommandReply } from './render-reply.js';

export interface SlackActionDeps {
  services: CommandServices;
  canManage: (userId: string) => Promise<boolean>;
  checkMention: (userId: string, mention: MentionKind) => Promise<MentionCheck>;
  logger: Logger;
}

const ACTION_PREFIX = 'ob:';

/**
 * The incident buttons through Bolt's action handlers. Each press is acked at once (Slack wants it
 * within 3 s), then run like its command (commands/buttons.ts) and answered through the press's
 * response_url as a new message: refusals and "already" answers only to the presser, a change
 * (muted, unsubscribed) in the channel. The start message itself is left as it is.
 */
export function registerIncidentActions(app: App, deps: SlackActionDeps): void {
  // A link button opens the page in the browser, and Slack still reports the click.
  app.action<BlockButtonAction>(
    { type: 'block_actions', action_id: ACTION_IDS.link },
    async ({ ack }) => {
      await ack();
    },
  );
  app.action<BlockButtonAction>(
    { type: 'block_actions', action_id: new RegExp(`^(${ACTION_IDS.mute}|${ACTION_IDS.unsub})$`) },
    async ({ ack, body, action, respond }) => {
      await ack();
      const reply = await answerPress(body, action, deps).catch((err: unknown): Reply => {
        deps.logger.error({ err }, 'incident button failed');
        return { visibility: 'ephemeral', text: 'Something went wrong; try again.', error: true };
      });
      await respond({ ...renderCommandReply(reply), replace_original: false }).catch(
        (err: unknown) =>
          deps.logger.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'could not answer an incident button through response_url',
          ),
      );
    },
  );
}

async function answerPress(
  body: BlockButtonAction,
  action: BlockButtonAction['actions'][number],
  deps: SlackActionDeps,
): Promise<Reply> {
  const userId = body.user.id;
  const teamId = body.team?.id ?? body.user.team_id ?? '';
  const channelId = body.channel?.id ?? '';
  const press = parseButtonPress(action.action_id.slice(ACTION_PREFIX.length), action.value);
  const policy = deps.services.managePolicy;
  // users.info is only worth a call for a press that will run.
  const canManage = policy === 'everyone' || (press ? await deps.canManage(userId) : false);
  deps.logger.info(
    { button: action.action_id, service: press?.serviceId, user: userId, channel: channelId },
    'incident button',
  );
  return runButton(press, {
    channel: { platform: 'slack', workspaceId: teamId, channelId },
    userId,
    canManage,
    checkMention: (mention) => deps.checkMention(userId, mention),
    services: deps.services,
  });
}
