/**
 * Personal API tokens (hashed, like sessions), author claims (at most one approved member per author name) and
 * how far each member has read their notifications; comment indexes for replies and member pages.
 */
export const people = `
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  last_used_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id, id);

CREATE TABLE author_claims (
  id INTEGER PRIMARY KEY,
  author_name TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  created_at TEXT NOT NULL,
  decided_at TEXT
);
CREATE UNIQUE INDEX author_claims_approved ON author_claims(author_name) WHERE status = 'approved';
CREATE UNIQUE INDEX author_claims_pending ON author_claims(author_name, user_id) WHERE status = 'pending';
CREATE INDEX author_claims_open ON author_claims(id) WHERE status = 'pending';
CREATE INDEX author_claims_user ON author_claims(user_id, id);

CREATE TABLE notification_reads (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  read_at TEXT NOT NULL
);

CREATE INDEX comments_parent ON comments(parent_id);
CREATE INDEX comments_user ON comments(user_id, id);
`;
