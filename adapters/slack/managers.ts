import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { MentionCheck } from '../../commands/command.js';
import type { MentionKind } from '../../src/incidents/subscription.js';

export interface ManagersOptions {
  api: webApi.WebClient;
  /** User ids the operator allows besides workspace admins and owners (SLACK_MANAGERS). */
  allowlist: readonly string[];
  cacheMs: number;
  now: () => number;
  logger: Logger;
}

/** A failed lookup is remembered briefly, so a Slack hiccup does not cost a call per command. */
const FAILURE_CACHE_MS = 30_000;

/** What users.info says about one person; undefined when Slack could not be asked. */
interface UserRights {
  admin: boolean;
  guest: boolean;
}

/**
 * Who may do what, from users.info (cached a few minutes). Managing subscriptions under the
 * 'managers' policy: workspace admins and owners, and the operator's allowlist. Pings: Slack's
 * "who may use @channel and @here" setting is not readable through the API, so the bot holds
 * everyone to the strictest choice Slack offers, admins and owners; user groups are open to every
 * full member (as in Slack), not to guests. The allowlist grants managing, not broadcasting.
 */
export class SlackManagers {
  private readonly cache = new Map<string, { rights: UserRights | undefined; until: number }>();
  private readonly allow: ReadonlySet<string>;

  constructor(private readonly options: ManagersOptions) {
    this.allow = new Set(options.allowlist);
  }

  async canManage(userId: string): Promise<boolean> {
    if (this.allow.has(userId)) return true;
    return (await this.rights(userId))?.admin ?? false;
  }

  async checkMention(userId: string, mention: MentionKind): Promise<MentionCheck> {
    if (mention === 'none' || (typeof mention === 'object' && 'user' in mention)) {
      return { ok: true };
    }
    const rights = await this.rights(userId);
    if (!rights) {
      return {
        ok: false,
        reason: 'Slack did not tell me whether you may ping that; try again in a minute',
      };
    }
    if (mention === 'here' || mention === 'channel') {
      if (rights.admin) return { ok: true };
      return {
        ok: false,
        reason: `pinging @${mention} needs a workspace admin or owner, and you are neither`,
      };
    }
    if (!rights.guest) return { ok: true };
    return { ok: false, reason: 'guests cannot have the bot ping a user group' };
  }

  private async rights(userId: string): Promise<UserRights | undefined> {
    const now = this.options.now();
    const hit = this.cache.get(userId);
    if (hit && hit.until > now) return hit.rights;
    try {
      const res = await this.options.api.users.info({ user: userId });
      const u = res.user;
      const rights = {
        admin: Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner),
        guest: Boolean(u?.is_restricted || u?.is_ultra_restricted),
      };
      this.remember(userId, rights, now + this.options.cacheMs);
      return rights;
    } catch (err) {
      this.options.logger.warn(
        { user: userId, err: err instanceof Error ? err.message : String(err) },
        'users.info failed; treating the user as not a manager',
      );
      this.remember(userId, undefined, now + FAILURE_CACHE_MS);
      return undefined;
    }
  }

  private remember(userId: string, rights: UserRights | undefined, until: number): void {
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(userId, { rights, until });
  }
}
