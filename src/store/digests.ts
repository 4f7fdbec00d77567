import type { DigestSetting } from '../digest/digest-model.js';
import type { ChannelRef } from '../incidents/subscription.js';

/** Channels' weekly digest settings (`/outage digest`), one per channel, kept until turned off. */
export interface DigestStore {
  /** Sets (or replaces) the channel's setting. */
  put(setting: DigestSetting): Promise<void>;
  get(channel: ChannelRef): Promise<DigestSetting | undefined>;
  /** Turns the channel's digest off; false when it was not on. */
  remove(channel: ChannelRef): Promise<boolean>;
  /** Every channel's setting, for the digest tick. */
  list(): Promise<DigestSetting[]>;
}
