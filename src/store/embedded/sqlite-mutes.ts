import type { Database, Statement } from 'better-sqlite3';
import { type ChannelRef, channelKey } from '../../incidents/subscription.js';
import { statementCache } from './statements.js';

/** The embedded store's channel mutes (table mute): when each muted channel's mute ends. */
export class SqliteMutes {
  private readonly sql: (source: string) => Statement;

  constructor(
    db: Database,
    private readonly now: () => number,
  ) {
    this.sql = statementCache(db);
  }

  set(channel: ChannelRef, until: Date | undefined): void {
    const key = channelKey(channel);
    if (until === undefined) {
      this.sql('DELETE FROM mute WHERE channel_key = ?').run(key);
      return;
    }
    this.sql('INSERT OR REPLACE INTO mute (channel_key, until) VALUES (?, ?)').run(
      key,
      until.getTime(),
    );
  }

  get(channel: ChannelRef): Date | undefined {
    const until = this.sql('SELECT until FROM mute WHERE channel_key = ? AND until > ?')
      .pluck()
      .get(channelKey(channel), this.now()) as number | undefined;
    return until === undefined ? undefined : new Date(until);
  }

  getMany(channels: readonly ChannelRef[]): Map<string, Date> {
    const rows = this.sql(
      `SELECT channel_key, until FROM mute
         WHERE channel_key IN (SELECT value FROM json_each(?)) AND until > ?`,
    ).all(JSON.stringify(channels.map(channelKey)), this.now()) as {
      channel_key: string;
      until: number;
    }[];
    return new Map(rows.map((row) => [row.channel_key, new Date(row.until)]));
  }
}
