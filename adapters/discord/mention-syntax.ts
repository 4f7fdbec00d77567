import type { MentionSyntax } from '../../commands/values.js';

const ROLE = /^<@&(\d+)>$/;
/** `<@!id>` is the older nickname form some clients still send. */
const USER = /^<@!?(\d+)>$/;

/** Discord's mention markup in a string option: a role `<@&123>` and a user `<@123>`. */
export const discordMentionSyntax: MentionSyntax = {
  parse(text) {
    const role = ROLE.exec(text)?.[1];
    if (role) return { role };
    const user = USER.exec(text)?.[1];
    return user ? { user } : undefined;
  },
  format: (mention) => ('role' in mention ? `<@&${mention.role}>` : `<@${mention.user}>`),
};
