import type { Logger } from 'pino';
import type { CommandDefinition, CommandServices } from '../commands/command.js';
import type { Config } from '../src/config.js';
import type { ChatAdapter } from './chat-adapter.js';
import { createConsoleAdapter } from './console/console-adapter.js';

export interface AdapterFactoryDeps {
  config: Config;
  logger: Logger;
  commands: readonly CommandDefinition[];
  services: CommandServices;
  now: () => Date;
  writeOut: (text: string) => void;
}

interface AdapterEntry {
  platform: string;
  /** Returns the adapter when its platform is configured, undefined otherwise. */
  create(deps: AdapterFactoryDeps): ChatAdapter | undefined;
}

/** The one table of chat platforms. The console stands in when no other is configured. */
const ADAPTERS: readonly AdapterEntry[] = [];

export async function createAdapters(deps: AdapterFactoryDeps): Promise<ChatAdapter[]> {
  const adapters = ADAPTERS.map((entry) => entry.create(deps)).filter(
    (a): a is ChatAdapter => a !== undefined,
  );
  if (adapters.length === 0) adapters.push(createConsoleAdapter(deps.writeOut));
  return adapters;
}
