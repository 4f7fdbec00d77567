import type { CommandContext, CommandDefinition, Reply } from './command.js';
import { errorReply, SLASH } from './format.js';
import { muteService } from './mute-service.js';
import { runCommand } from './registry.js';
import { unsubscribe } from './unsubscribe.js';

/**
 * The buttons on an incident's start message that act (the "Status page" button is a plain
 * link): each runs a command definition through runCommand, so a button is refused exactly where
 * the command would be. Adapters put the action and the service id on the button and hand back
 * what the platform returns, which is untrusted: parseButtonPress checks both.
 */
export const BUTTON_ACTIONS = {
  mute: muteService,
  unsub: unsubscribe,
} as const satisfies Record<string, CommandDefinition>;

export type ButtonAction = keyof typeof BUTTON_ACTIONS;

export interface ButtonPress {
  action: ButtonAction;
  serviceId: string;
}

/** Service ids as the catalog and SERVICES_FILE allow them (src/sources/services-file.ts). */
const SERVICE_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const isButtonServiceId = (id: string): boolean => SERVICE_ID.test(id);

export const STALE_BUTTON_TEXT = `That button is not one I know (an older version of the bot may have posted it). ${SLASH} help lists what I can do.`;

/** The press, or undefined when the action or the service id is not one a button can carry. */
export function parseButtonPress(action: unknown, serviceId: unknown): ButtonPress | undefined {
  if (typeof action !== 'string' || typeof serviceId !== 'string') return undefined;
  if (!Object.hasOwn(BUTTON_ACTIONS, action) || !isButtonServiceId(serviceId)) return undefined;
  return { action: action as ButtonAction, serviceId };
}

/** Runs a press like the command it stands for; a press that does not parse gets a short reply. */
export function runButton(press: ButtonPress | undefined, ctx: CommandContext): Promise<Reply> {
  if (!press) return Promise.resolve(errorReply(STALE_BUTTON_TEXT));
  return runCommand(BUTTON_ACTIONS[press.action], ctx, { service: press.serviceId });
}
