import type { Database, Statement } from 'better-sqlite3';
import type { Service } from '../../incidents/model.js';
import { type ChannelRef, channelKey, type Subscription } from '../../incidents/subscription.js';
import { statementCache } from './statements.js';

/**
 * Chat-added services are rows of the doc table under this key prefix (one row each), so they
 * need no schema of their own; `expires_at` is their grace period while nobody follows them.
 */
const CHAT_SERVICE_KEY = 'chat-service:';

/**
 * The embedded store's subscriptions (table subscription, one row per service and channel) and
 * the services added from chat, together because a subscription decides how long a chat-added
 * service is kept.
 */
export class SqliteSubscriptions {
  private readonly sql: (source: string) => Statement;

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
    private readonly chatServiceGraceMs: number,
  ) {
    this.sql = statementCache(db);
  }

  put(sub: Subscription): 'created' | 'updated' {
    const key = channelKey(sub.channel);
    return this.db
      .transaction(() => {
        const exists = this.sql(
          'SELECT 1 FROM subscription WHERE service_id = ? AND channel_key = ?',
        ).get(sub.serviceId, key);
        this.sql(
          'INSERT OR REPLACE INTO subscription (service_id, channel_key, body) VALUES (?, ?, ?)',
        ).run(sub.serviceId, key, JSON.stringify(sub));
        this.sql('UPDATE doc SET expires_at = NULL WHERE key = ?').run(
          CHAT_SERVICE_KEY + sub.serviceId,
        );
        return exists === undefined ? ('created' as const) : ('updated' as const);
      })
      .immediate();
  }

  remove(serviceId: string, channel: ChannelRef): boolean {
    return this.db
      .transaction(() => {
        const result = this.sql(
          'DELETE FROM subscription WHERE service_id = ? AND channel_key = ?',
        ).run(serviceId, channelKey(channel));
        // The last subscription gone, a chat-added page is kept only for the grace period.
        this.sql(
          `UPDATE doc SET expires_at = @until WHERE key = @key
             AND NOT EXISTS (SELECT 1 FROM subscription WHERE service_id = @serviceId)`,
        ).run({
          key: CHAT_SERVICE_KEY + serviceId,
          serviceId,
          until: this.now() + this.chatServiceGraceMs,
        });
        return result.changes > 0;
      })
      .immediate();
  }

  listForChannel(channel: ChannelRef): Subscription[] {
    return this.subscriptions(
      'SELECT body FROM subscription WHERE channel_key = ? ORDER BY service_id',
      channelKey(channel),
    );
  }

  listForService(serviceId: string): Subscription[] {
    return this.subscriptions(
      'SELECT body FROM subscription WHERE service_id = ? ORDER BY channel_key',
      serviceId,
    );
  }

  listServiceIds(): string[] {
    return this.sql('SELECT DISTINCT service_id FROM subscription ORDER BY service_id')
      .pluck()
      .all() as string[];
  }

  putChatService(service: Service): void {
    this.sql(
      `INSERT OR REPLACE INTO doc (key, body, expires_at) VALUES (@key, @body,
         CASE WHEN EXISTS (SELECT 1 FROM subscription WHERE service_id = @serviceId)
           THEN NULL ELSE @until END)`,
    ).run({
      key: CHAT_SERVICE_KEY + service.id,
      body: JSON.stringify(service),
      serviceId: service.id,
      until: this.now() + this.chatServiceGraceMs,
    });
  }

  listChatServices(): Service[] {
    // ';' sorts right after ':', so this is a range scan of the key prefix on the primary key.
    const bodies = this.sql(
      `SELECT body FROM doc WHERE key >= ? AND key < ? AND (expires_at IS NULL OR expires_at > ?)
         ORDER BY key`,
    )
      .pluck()
      .all(CHAT_SERVICE_KEY, 'chat-service;', this.now()) as string[];
    return bodies.map((body) => JSON.parse(body) as Service);
  }

  private subscriptions(sql: string, arg: string): Subscription[] {
    const bodies = this.sql(sql).pluck().all(arg) as string[];
    return bodies.map((body) => JSON.parse(body) as Subscription);
  }
}
