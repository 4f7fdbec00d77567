import type { Logger } from 'pino';
import type { CommandDefinition, CommandServices } from '../commands/command.js';
import type { Config } from '../src/config.js';
import type { ChatAdapter } from '../src/delivery/chat-adapter.js';
import { createConsoleAdapter } from './console/console-adapter.js';
import { createDiscordAdapter } from './discord/adapter.js';
import { createSlackAdapter } from './slack/slack-adapter.js';

export interface AdapterFactoryDeps {
  config: Config;
  logger: Logger;
  commands: readonly CommandDefinition[];
  services: CommandServices;
  now: () => Date;
  writeOut: (text: string) => void;
  /** This replica's id, for leases such as the Discord gateway's. */
  instanceId: string;
}

interface AdapterEntry {
  platform: string;
  /** Returns the adapter when its platform is configured, undefined otherwise. */
  create(deps: AdapterFactoryDeps): ChatAdapter | undefined;
}

/** The one table of chat platforms. The console stands in when no other is configured. */
const ADAPTERS: readonly AdapterEntry[] = [
  {
    platform: 'slack',
    create: ({ config, logger, commands, services, now }) =>
      config.SLACK_BOT_TOKEN
        ? createSlackAdapter({
            botToken: config.SLACK_BOT_TOKEN,
            signingSecret: config.SLACK_SIGNING_SECRET,
            appToken: config.SLACK_APP_TOKEN,
            apiUrl: config.SLACK_API_URL,
            managers: config.SLACK_MANAGERS,
            logger: logger.child({ adapter: 'slack' }),
            commands,
            services,
            now,
          })
        : undefined,
  },
  {
    platform: 'discord',
    create: ({ config, logger, commands, services, now, instanceId }) =>
      config.DISCORD_TOKEN
        ? createDiscordAdapter({
            token: config.DISCORD_TOKEN,
            apiUrl: config.DISCORD_API_URL,
            guildId: config.DISCORD_GUILD_ID,
            logger: logger.child({ adapter: 'discord' }),
            commands,
            services,
            now,
            instanceId,
          })
        : undefined,
  },
];

export async function createAdapters(deps: AdapterFactoryDeps): Promise<ChatAdapter[]> {
  const adapters = ADAPTERS.map((entry) => entry.create(deps)).filter(
    (a): a is ChatAdapter => a !== undefined,
  );
  if (adapters.length === 0) adapters.push(createConsoleAdapter(deps.writeOut));
  return adapters;
}
