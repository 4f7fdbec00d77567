import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';

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

/**
 * Who may subscribe, unsubscribe and mute under the 'managers' policy: workspace admins and
 * owners (users.info, cached a few minutes) and the operator's allowlist.
 */
export class SlackManagers {
  private readonly cache = new Map<string, { admin: boolean; until: number }>();
  private readonly allow: ReadonlySet<string>;

  constructor(private readonly options: ManagersOptions) {
    this.allow = new Set(options.allowlist);
  }

  async canManage(userId: string): Promise<boolean> {
    if (this.allow.has(userId)) return true;
    const now = this.options.now();
    const hit = this.cache.get(userId);
    if (hit && hit.until > now) return hit.admin;
    try {
      const res = await this.options.api.users.info({ user: userId });
      const u = res.user;
      const admin = Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner);
      this.remember(userId, admin, now + this.options.cacheMs);
      return admin;
    } catch (err) {
      this.options.logger.warn(
        { user: userId, err: err instanceof Error ? err.message : String(err) },
        'users.info failed; treating the user as not a manager',
      );
      this.remember(userId, false, now + FAILURE_CACHE_MS);
      return false;
    }
  }

  private remember(userId: string, admin: boolean, until: number): void {
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(userId, { admin, until });
  }
}
