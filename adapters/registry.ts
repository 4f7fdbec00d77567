import type { MentionSyntax } from '../commands/values.js';
import type { ConfigFragment } from '../src/config.js';
import type { ChatAdapter } from '../src/delivery/chat-adapter.js';
import type { Platform } from '../src/incidents/subscription.js';
import { createConsoleAdapter } from './console/console-adapter.js';
import { discordPlatform } from './discord/platform.js';
import type { AdapterFactoryDeps, PlatformEntry } from './platform.js';
import { slackPlatform } from './slack/platform.js';

/** Fails at load on a duplicate or reserved name, so a bad table never starts. */
export function definePlatforms(entries: readonly PlatformEntry[]): readonly PlatformEntry[] {
  const seen = new Set<Platform>(['console']);
  for (const { platform } of entries) {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(platform) || seen.has(platform)) {
      throw new Error(`adapters: platform name "${platform}" is taken or malformed`);
    }
    seen.add(platform);
  }
  return Object.freeze([...entries]);
}

/** The one table of chat platforms. The console stands in when none of them is configured. */
export const PLATFORMS: readonly PlatformEntry[] = definePlatforms([
  slackPlatform,
  discordPlatform,
]);

/** The platforms' variables, for loadConfig. */
export const platformConfig = (platforms: readonly PlatformEntry[]): ConfigFragment[] =>
  platforms.map((p) => p.config);

/** The platforms' mention markup, for the commands. */
export const mentionSyntaxes = (
  platforms: readonly PlatformEntry[],
): ReadonlyMap<Platform, MentionSyntax> => new Map(platforms.map((p) => [p.platform, p.mentions]));

export function createAdapters(
  deps: AdapterFactoryDeps,
  platforms: readonly PlatformEntry[],
): ChatAdapter[] {
  const adapters = platforms
    .map((entry) => entry.create(deps))
    .filter((a): a is ChatAdapter => a !== undefined);
  if (adapters.length === 0) adapters.push(createConsoleAdapter(deps.writeOut));
  return adapters;
}
