/**
 * The personal layer: follows (authors, organizations, saved searches), the library (saves under tags),
 * collections (published tags), "not interested" marks, the private feed token and which digest
 * subscriptions are the personal ("For you") variant.
 */
export const personal = `
CREATE TABLE follows (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('author', 'organization', 'topic')),
  target TEXT NOT NULL,
  label TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (member_id, kind, target)
);

CREATE TABLE library_tags (
  member_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  PRIMARY KEY (member_id, paper_id, tag)
) WITHOUT ROWID;
CREATE INDEX library_tags_by_tag ON library_tags(member_id, tag, saved_at);

CREATE TABLE collections (
  member_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  slug TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (member_id, tag),
  UNIQUE (member_id, slug)
) WITHOUT ROWID;

CREATE TABLE not_interested (
  member_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  PRIMARY KEY (member_id, paper_id)
) WITHOUT ROWID;

CREATE TABLE personal_feed_tokens (
  member_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  nonce TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE personal_digests (
  subscription_id INTEGER PRIMARY KEY REFERENCES subscriptions(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL
);
`;
