import type { Database, Statement } from 'better-sqlite3';
import type { DigestSetting } from '../../digest/digest-model.js';
import { type ChannelRef, channelKey } from '../../incidents/subscription.js';
import type { DigestStore } from '../digests.js';
import { statementCache } from './statements.js';

/** The embedded store's digest settings (table digest_setting): one row per channel. */
export class SqliteDigests implements DigestStore {
  private readonly sql: (source: string) => Statement;

  constructor(db: Database) {
    this.sql = statementCache(db);
  }

  async put(setting: DigestSetting): Promise<void> {
    this.sql('INSERT OR REPLACE INTO digest_setting (channel_key, body) VALUES (?, ?)').run(
      channelKey(setting.channel),
      JSON.stringify(setting),
    );
  }

  async get(channel: ChannelRef): Promise<DigestSetting | undefined> {
    const body = this.sql('SELECT body FROM digest_setting WHERE channel_key = ?')
      .pluck()
      .get(channelKey(channel)) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as DigestSetting);
  }

  async remove(channel: ChannelRef): Promise<boolean> {
    const { changes } = this.sql('DELETE FROM digest_setting WHERE channel_key = ?').run(
      channelKey(channel),
    );
    return changes > 0;
  }

  async list(): Promise<DigestSetting[]> {
    const bodies = this.sql('SELECT body FROM digest_setting ORDER BY channel_key')
      .pluck()
      .all() as string[];
    return bodies.map((body) => JSON.parse(body) as DigestSetting);
  }
}
