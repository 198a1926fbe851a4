/** Email digests: subscriptions, the send log that keeps a crash from sending twice, runs, locks, settings. */
export const subscriptions = `
CREATE TABLE subscriptions (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  frequency TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
  topics TEXT NOT NULL DEFAULT '{"queries":[],"authors":[],"organizations":[]}',
  topical INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced')),
  member_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  bounce_reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  confirmed_at TEXT
);
CREATE INDEX subscriptions_due ON subscriptions(status, frequency, id);

-- One row per (subscription, period): written before the first attempt with the papers and Message-ID fixed,
-- so a run that dies mid-way is resumed by the next one with exactly the missing digests.
CREATE TABLE digest_sends (
  subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
  period TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'rejected', 'empty')),
  paper_ids TEXT NOT NULL DEFAULT '[]',
  message_id TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (subscription_id, period)
) WITHOUT ROWID;
CREATE INDEX digest_sends_recent ON digest_sends(subscription_id, created_at);

CREATE TABLE digest_runs (
  id INTEGER PRIMARY KEY,
  period TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  sent INTEGER NOT NULL DEFAULT 0,
  empty INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  deferred INTEGER NOT NULL DEFAULT 0,
  note TEXT
);

CREATE TABLE job_locks (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at TEXT NOT NULL
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;
