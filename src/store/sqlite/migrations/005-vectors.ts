/** The site's embedding model and one vector per paper; a paper whose text changes loses its vector. */
export const vectors = `
CREATE TABLE embedding_models (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  model TEXT NOT NULL,
  data BLOB NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- seq grows with every write, so a reader can load what changed since the last seq it saw.
CREATE TABLE paper_vectors (
  doc_id INTEGER PRIMARY KEY REFERENCES papers(doc_id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  model TEXT NOT NULL,
  vector BLOB NOT NULL
);
CREATE UNIQUE INDEX paper_vectors_seq ON paper_vectors(seq);

CREATE TRIGGER paper_vectors_stale AFTER UPDATE OF title, abstract ON papers
WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract BEGIN
  DELETE FROM paper_vectors WHERE doc_id = new.doc_id;
END;
`;
