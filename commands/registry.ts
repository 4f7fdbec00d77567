import type { CommandContext, CommandDefinition, CommandOptions, Reply } from './command.js';
import { digest } from './digest.js';
import { missingOptionReply } from './format.js';
import { createHelp } from './help.js';
import { history } from './history.js';
import { list } from './list.js';
import { mute } from './mute.js';
import { report } from './report.js';
import { services } from './services.js';
import { status } from './status.js';
import { subscribe } from './subscribe.js';
import { unmute } from './unmute.js';
import { unsubscribe } from './unsubscribe.js';

/** Fails at load on a duplicate or malformed name, so a bad table never reaches a platform. */
export function defineCommands(defs: readonly CommandDefinition[]): readonly CommandDefinition[] {
  const seen = new Set<string>();
  for (const def of defs) {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(def.name)) {
      throw new Error(`commands: invalid command name "${def.name}" (lowercase, at most 32 chars)`);
    }
    if (seen.has(def.name)) throw new Error(`commands: duplicate command name "${def.name}"`);
    seen.add(def.name);
    const options = new Set(def.options.map((o) => o.name));
    if (options.size !== def.options.length) {
      throw new Error(`commands: duplicate option name in "${def.name}"`);
    }
  }
  return Object.freeze([...defs]);
}

/** The one command table: Slack's text parser, Discord's registration and help all read it. */
export const COMMANDS: readonly CommandDefinition[] = defineCommands([
  subscribe,
  unsubscribe,
  list,
  status,
  history,
  services,
  report,
  mute,
  unmute,
  digest,
  createHelp(() => COMMANDS),
]);

export function findCommand(name: string): CommandDefinition | undefined {
  const wanted = name.trim().toLowerCase();
  return COMMANDS.find((c) => c.name === wanted);
}

export const REFUSED_TEXT =
  "You can't change this channel's subscriptions, mutes or weekly digest: the bot's operator limits that to people who manage the channel (Slack: workspace admins and an allowlist; Discord: Manage Channels). Ask one of them.";

export const FAILED_TEXT =
  "Something went wrong while running that command. Try again in a minute; if it keeps failing, tell the bot's operator.";

export const UNKNOWN_PLATFORM_TEXT =
  "This chat platform is not set up on this bot, so its commands can't run. Tell the bot's operator.";

/**
 * Runs a command the way every adapter should: refuses platforms the registry does not declare,
 * enforces the manage policy, checks required
 * options, and turns an unexpected error into a short reply (logged) instead of a throw.
 */
export async function runCommand(
  def: CommandDefinition,
  ctx: CommandContext,
  options: CommandOptions,
): Promise<Reply> {
  if (!ctx.services.mentionSyntaxes.has(ctx.channel.platform)) {
    ctx.services.logger?.error(
      { command: def.name, platform: ctx.channel.platform },
      'command from a chat platform the adapter registry does not declare',
    );
    return { visibility: 'ephemeral', text: UNKNOWN_PLATFORM_TEXT, error: true };
  }
  if (def.manages && ctx.services.managePolicy === 'managers' && !ctx.canManage) {
    return { visibility: 'ephemeral', text: REFUSED_TEXT, error: true };
  }
  const missing = def.options.find((o) => o.required && !options[o.name]?.trim());
  if (missing) {
    return missingOptionReply(def, missing);
  }
  try {
    return await def.run(ctx, options);
  } catch (err) {
    ctx.services.logger?.error(
      { err, command: def.name, channel: ctx.channel },
      'command failed unexpectedly',
    );
    return { visibility: 'ephemeral', text: FAILED_TEXT, error: true };
  }
}
