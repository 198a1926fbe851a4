/** Members, sessions, votes, comments, rate limits, GitHub star history and keyword search. */
export const community = `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE votes (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (user_id, paper_id)
) WITHOUT ROWID;
CREATE INDEX votes_paper ON votes(paper_id, created_at);
CREATE INDEX votes_recent ON votes(created_at);

CREATE TABLE comments (
  id INTEGER PRIMARY KEY,
  paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
  parent_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  body TEXT NOT NULL,
  hidden INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX comments_paper ON comments(paper_id, id);

ALTER TABLE daily_entries ADD COLUMN member_id INTEGER REFERENCES users(id) ON DELETE SET NULL;
CREATE INDEX daily_entries_member ON daily_entries(member_id, submitted_at);

CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  window_started_at INTEGER NOT NULL,
  hits INTEGER NOT NULL
);

CREATE TABLE github_star_snapshots (
  paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
  observed_at TEXT NOT NULL,
  stars INTEGER NOT NULL,
  PRIMARY KEY (paper_id, observed_at)
) WITHOUT ROWID;

-- Keyword index over title and abstract. New papers are queued in fts_pending and indexed in bulk before their
-- transaction commits (twice as fast as a trigger per row on a large import); updates and deletes apply at once.
CREATE VIRTUAL TABLE papers_fts USING fts5(
  title, abstract, content='papers', content_rowid='doc_id', tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO papers_fts (rowid, title, abstract) SELECT doc_id, title, abstract FROM papers;
CREATE TABLE fts_pending (doc_id INTEGER PRIMARY KEY);
CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers BEGIN
  INSERT OR IGNORE INTO fts_pending (doc_id) VALUES (new.doc_id);
END;
CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
  INSERT INTO papers_fts (papers_fts, rowid, title, abstract)
    SELECT 'delete', old.doc_id, old.title, old.abstract
    WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE doc_id = old.doc_id);
  DELETE FROM fts_pending WHERE doc_id = old.doc_id;
END;
CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract ON papers
WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE doc_id = old.doc_id) BEGIN
  INSERT INTO papers_fts (papers_fts, rowid, title, abstract) VALUES ('delete', old.doc_id, old.title, old.abstract);
  INSERT INTO papers_fts (rowid, title, abstract) VALUES (new.doc_id, new.title, new.abstract);
END;
`;
