/** The paper catalog: papers, ordered authors, categories, organizations, daily listings, import cursors. */
export const catalog = `
CREATE TABLE organizations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  full_name TEXT,
  avatar_url TEXT
);

-- doc_id is the stable integer key of a paper for the search indexes (a VACUUM may renumber implicit rowids).
CREATE TABLE papers (
  doc_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  version INTEGER,
  metadata_source TEXT NOT NULL,
  title TEXT NOT NULL,
  abstract TEXT NOT NULL,
  published_at TEXT,
  updated_at TEXT,
  comment TEXT,
  journal_ref TEXT,
  doi TEXT,
  license TEXT,
  pdf_url TEXT,
  github_repo TEXT,
  github_stars INTEGER,
  project_page TEXT,
  thumbnail TEXT,
  organization_id INTEGER REFERENCES organizations(id),
  ai_summary TEXT,
  ai_keywords TEXT,
  imported_upvotes INTEGER NOT NULL DEFAULT 0,
  member_upvotes INTEGER NOT NULL DEFAULT 0,
  imported_comments INTEGER NOT NULL DEFAULT 0,
  member_comments INTEGER NOT NULL DEFAULT 0,
  hidden INTEGER NOT NULL DEFAULT 0,
  authors_hash TEXT NOT NULL,
  categories_hash TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX papers_organization ON papers(organization_id);
CREATE INDEX papers_published ON papers(published_at);

CREATE TABLE authors (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE paper_authors (
  paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  author_id INTEGER NOT NULL REFERENCES authors(id),
  hf_id TEXT,
  hidden INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (paper_id, position)
) WITHOUT ROWID;
CREATE INDEX paper_authors_author ON paper_authors(author_id);

CREATE TABLE paper_categories (
  paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  category TEXT NOT NULL,
  PRIMARY KEY (paper_id, position)
) WITHOUT ROWID;
CREATE INDEX paper_categories_category ON paper_categories(category);

CREATE TABLE daily_entries (
  paper_id TEXT PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  position INTEGER NOT NULL,
  submitted_by_user TEXT,
  submitted_by_fullname TEXT,
  submitted_by_avatar TEXT,
  submitted_at TEXT
);
CREATE INDEX daily_entries_day ON daily_entries(day, position);

CREATE TABLE import_cursors (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
`;
