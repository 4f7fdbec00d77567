import type { Logger } from 'pino';
import type { CommandDefinition, CommandServices } from '../commands/command.js';
import type { MentionSyntax } from '../commands/values.js';
import type { ConfigFragment, ConfigSpec, ConfigValues, LoadedConfig } from '../src/config.js';
import type { ChatAdapter } from '../src/delivery/chat-adapter.js';
import type { Platform } from '../src/incidents/subscription.js';

export interface AdapterFactoryDeps {
  config: LoadedConfig;
  logger: Logger;
  commands: readonly CommandDefinition[];
  services: CommandServices;
  now: () => Date;
  writeOut: (text: string) => void;
  /** This replica's id, for leases such as the Discord gateway's. */
  instanceId: string;
}

/**
 * Everything the bot knows about one chat platform, in one registry row: its variables (handed to
 * loadConfig), its mention markup (handed to the commands) and its adapter factory.
 */
export interface PlatformEntry {
  platform: Platform;
  config: ConfigFragment;
  mentions: MentionSyntax;
  /** The adapter when the platform is configured, undefined when it is not (no token). */
  create(deps: AdapterFactoryDeps): ChatAdapter | undefined;
}

export interface PlatformDefinition<S extends ConfigSpec> {
  platform: Platform;
  config: ConfigFragment<S>;
  mentions: MentionSyntax;
  /** Gets the platform's own settings, typed by its config spec. */
  create(settings: ConfigValues<S>, deps: AdapterFactoryDeps): ChatAdapter | undefined;
}

/** Types a platform's factory by its own config spec, then erases it for the registry table. */
export function definePlatform<S extends ConfigSpec>(def: PlatformDefinition<S>): PlatformEntry {
  return {
    platform: def.platform,
    config: def.config,
    mentions: def.mentions,
    // loadConfig parsed the variables of `config.spec` into deps.config, so they are there typed.
    create: (deps) => def.create(deps.config as ConfigValues<S>, deps),
  };
}
