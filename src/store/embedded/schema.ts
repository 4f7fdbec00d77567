import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran. Append new
 * entries, never edit old ones: a data dir written by an older version must still open.
 * Times are stored as epoch milliseconds so comparisons are plain integer comparisons.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE service_state (service_id TEXT PRIMARY KEY, body TEXT NOT NULL);

  CREATE TABLE subscription (
    service_id TEXT NOT NULL,
    channel_key TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (service_id, channel_key)
  );
  CREATE INDEX subscription_channel ON subscription (channel_key);

  -- seq gives FIFO order inside a thread; retries keep their seq, so they stay at the head.
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    thread TEXT NOT NULL,
    channel_key TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT
  );
  CREATE INDEX outbox_thread ON outbox (thread, seq);
  CREATE INDEX outbox_channel ON outbox (channel_key);

  -- The owner sending a thread's head. Kept apart from the row so that a late completion by an
  -- owner whose lease expired cannot delete the lease of the owner that took over.
  CREATE TABLE thread_lease (thread TEXT PRIMARY KEY, owner TEXT NOT NULL, until INTEGER NOT NULL);

  -- Ids that left the outbox (delivered or dropped), so re-enqueueing them is a no-op.
  CREATE TABLE delivered (id TEXT PRIMARY KEY, at INTEGER NOT NULL);
  CREATE INDEX delivered_at ON delivered (at);

  CREATE TABLE thread_ref (thread TEXT PRIMARY KEY, body TEXT NOT NULL);
  CREATE TABLE lease (name TEXT PRIMARY KEY, owner TEXT NOT NULL, until INTEGER NOT NULL);
  CREATE TABLE mute (channel_key TEXT PRIMARY KEY, until INTEGER NOT NULL);
  CREATE TABLE doc (key TEXT PRIMARY KEY, body TEXT NOT NULL, expires_at INTEGER);
  `,
  // 2: thread refs expire (THREAD_REF_TTL_MS after they were recorded) instead of piling up.
  `
  ALTER TABLE thread_ref ADD COLUMN expires_at INTEGER;
  -- Refs recorded before this migration get the full time to live from now (400 days in ms).
  UPDATE thread_ref SET expires_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000 + 34560000000;
  CREATE INDEX thread_ref_expiry ON thread_ref (expires_at);
  `,
  // 3: whether an attempt may have reached the platform, apart from how many attempts there were
  // (a rate-limited attempt never did, and its retry need not look for a copy).
  `
  ALTER TABLE outbox ADD COLUMN possibly_sent INTEGER NOT NULL DEFAULT 0;
  UPDATE outbox SET possibly_sent = 1 WHERE attempts > 0;
  `,
  // 4: an event going to many channels is stored once (outbox_event, counted by its pending
  // deliveries); each thread's head sits in outbox_head, indexed by when it is next ready, so a
  // claim reads the due heads instead of grouping the whole outbox. Older rows keep their event in
  // the body (event_id NULL).
  `
  CREATE TABLE outbox_event (id TEXT PRIMARY KEY, body TEXT NOT NULL, refs INTEGER NOT NULL);
  ALTER TABLE outbox ADD COLUMN event_id TEXT;
  CREATE TABLE outbox_head (thread TEXT PRIMARY KEY, seq INTEGER NOT NULL, ready_at INTEGER NOT NULL);
  CREATE INDEX outbox_head_ready ON outbox_head (ready_at, seq);
  INSERT INTO outbox_head (thread, seq, ready_at)
    SELECT o.thread, o.seq, o.next_attempt_at FROM outbox o
    JOIN (SELECT thread, MIN(seq) AS seq FROM outbox GROUP BY thread) h ON h.seq = o.seq;
  `,
  // 5: user reports (src/store/reports.ts): each reporter's latest report per service, rate-limit
  // counters by fixed window, counted reports per hour until the baseline learns them, the
  // baseline itself, the latest texts, and when each service was last reported.
  `
  CREATE TABLE report_reporter (
    service_id TEXT NOT NULL,
    reporter TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (service_id, reporter)
  );
  CREATE INDEX report_reporter_at ON report_reporter (service_id, at);
  CREATE TABLE report_rate (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at INTEGER NOT NULL);
  CREATE INDEX report_rate_expiry ON report_rate (expires_at);
  CREATE TABLE report_hour (
    service_id TEXT NOT NULL,
    hour INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (service_id, hour)
  );
  CREATE TABLE report_baseline (service_id TEXT PRIMARY KEY, body TEXT NOT NULL, expires_at INTEGER NOT NULL);
  CREATE TABLE report_text (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id TEXT NOT NULL,
    reporter TEXT NOT NULL,
    channel_key TEXT NOT NULL,
    at INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX report_text_service ON report_text (service_id, seq);
  CREATE TABLE report_service (service_id TEXT PRIMARY KEY, last_at INTEGER NOT NULL);
  `,
  // 6: documents written by compare-and-set (a channel's grouping record), so two replicas
  // updating one at once cannot lose each other's change.
  `
  CREATE TABLE versioned_doc (
    key TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    expires_at INTEGER
  );
  CREATE INDEX versioned_doc_expiry ON versioned_doc (expires_at);
  `,
  // 7: incident history for the status board (src/store/history.ts): one row per incident of a
  // service, with when it started and ended (NULL while open) and when a poll last reported it.
  `
  CREATE TABLE history (
    service_id TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    seen_at INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (service_id, incident_id)
  );
  CREATE INDEX history_started ON history (service_id, started_at);
  CREATE INDEX history_ended ON history (ended_at);
  CREATE INDEX history_seen ON history (seen_at);
  `,
  // 9 (the integrator renumbers it with its neighbours): channels' weekly digest settings
  // (src/store/digests.ts), one JSON row per channel.
  `
  CREATE TABLE digest_setting (channel_key TEXT PRIMARY KEY, body TEXT NOT NULL);
  `,
];

/** Brings the database up to the latest schema. Safe when several processes open it at once. */
export function migrate(db: Database): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() > MIGRATIONS.length) {
    throw new Error(
      `The embedded store was written by a newer outage-bot (schema ${version()}, this build knows ${MIGRATIONS.length}); upgrade the bot or point DATA_DIR elsewhere.`,
    );
  }
  for (let i = version(); i < MIGRATIONS.length; i = version()) {
    // IMMEDIATE takes the write lock first, so a second process re-reads the version after the
    // first one finished instead of running the same migration twice.
    db.transaction(() => {
      if (version() !== i) return;
      db.exec(MIGRATIONS[i] as string);
      db.pragma(`user_version = ${i + 1}`);
    }).immediate();
  }
}
