import type { MentionSyntax } from '../../commands/values.js';

const BROADCAST = /^<!(here|channel|everyone)(?:\|[^>]*)?>$/i;
const USER_GROUP = /^<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>$/i;
const USER = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/i;

/**
 * Slack's mention markup in slash-command text: `<!here>`, `<!channel>` (optionally with a
 * `|label`), a user group `<!subteam^S123|ops>` and a user `<@U123|bob>`.
 */
export const slackMentionSyntax: MentionSyntax = {
  parse(text) {
    const broadcast = BROADCAST.exec(text)?.[1]?.toLowerCase();
    if (broadcast === 'here' || broadcast === 'channel' || broadcast === 'everyone') {
      return broadcast;
    }
    const group = USER_GROUP.exec(text)?.[1];
    if (group) return { role: group };
    const user = USER.exec(text)?.[1];
    return user ? { user } : undefined;
  },
  format: (mention) => ('role' in mention ? `<!subteam^${mention.role}>` : `<@${mention.user}>`),
};
