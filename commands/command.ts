import type { Logger } from 'pino';
import type { ChannelRef, MentionKind, Platform } from '../src/incidents/subscription.js';
import type { Catalog } from '../src/sources/catalog.js';
import type { Store } from '../src/store/store.js';
import type { ReportSettings } from './report.js';
import type { MentionSyntax } from './values.js';

/** One typed option of a subcommand; Slack fills them positionally, Discord by name. */
export interface OptionSpec {
  name: string;
  description: string;
  required: boolean;
  /** Discord offers autocomplete on this option (service names). */
  autocomplete?: boolean;
  choices?: readonly string[];
  /** Slack: this option swallows the rest of the text (e.g. a search query). */
  rest?: boolean;
}

/** A line in a reply list: adapters render it as a bullet with an optional link. */
export interface ReplyItem {
  label: string;
  detail?: string;
  url?: string;
}

/**
 * A platform-neutral answer. All text is plain (no markup): adapters escape it and format it as
 * Block Kit or an embed. `ephemeral` replies are seen only by the person who asked.
 */
export interface Reply {
  visibility: 'ephemeral' | 'in_channel';
  title?: string;
  text: string;
  items?: ReplyItem[];
  /** The reply is an error or refusal (adapters may style it differently). */
  error?: boolean;
  /** A picture that goes with the text: Slack uploads it to the channel, Discord attaches it. */
  image?: ReplyImage;
}

/** A PNG picture of a reply; `altText` says in words what it shows. */
export interface ReplyImage {
  png: Uint8Array;
  filename: string;
  altText: string;
}

/** What commands may use; built once in main.ts and passed in. */
export interface CommandServices {
  store: Store;
  catalog: Catalog;
  now: () => Date;
  /** Who may subscribe, unsubscribe and mute: 'everyone', or managers plus an allowlist. */
  managePolicy: 'everyone' | 'managers';
  /**
   * The chat platforms the adapter registry declares, with their mention markup. A command from
   * a channel of any other platform is refused.
   */
  mentionSyntaxes: ReadonlyMap<Platform, MentionSyntax>;
  /** Accepts a status page URL given in chat (checks public address, probes the format). */
  /** Poll this service soon (a new subscription should not wait for the next tick). */
  pollNow?: (serviceId: string) => void;
  resolveStatusPageUrl?: (
    url: string,
  ) => Promise<{ ok: true; serviceId: string } | { ok: false; reason: string }>;
  /** Where runCommand reports unexpected errors (with the command name); silent when absent. */
  logger?: Logger;
  /** How many days back `/outage history` may go: the history's retention (at most 90). */
  historyDays?: number;
  /** `/outage report`: its limits, and the trigger of the reports feed; refused when absent. */
  reports?: ReportSettings;
}

export interface CommandContext {
  channel: ChannelRef;
  userId: string;
  /** The adapter decided this (Slack: admin or allowlisted; Discord: Manage Channels). */
  canManage: boolean;
  /**
   * Whether the person asking may have the bot ping `mention` by their own rights on the
   * platform: the bot's rights are wider, and a subscription must not lend them out.
   */
  checkMention(mention: MentionKind): Promise<MentionCheck>;
  services: CommandServices;
}

/** `reason` names the missing right: "pinging @here needs the Mention Everyone permission". */
export type MentionCheck = { ok: true } | { ok: false; reason: string };

/** Option values by OptionSpec name; Slack's text parser and Discord's options both produce it. */
export type CommandOptions = Record<string, string | undefined>;

export interface CommandDefinition {
  name: string;
  description: string;
  options: readonly OptionSpec[];
  /** Needs channel-management rights under the 'managers' policy. */
  manages: boolean;
  /** Examples shown by `help`, without the `/outage` prefix. */
  examples: readonly string[];
  run(ctx: CommandContext, options: CommandOptions): Promise<Reply>;
}
