/** The keyword index gains the author list (denormalized into papers.authors_text); title weighs most at query time. */
export const search = `
ALTER TABLE papers ADD COLUMN authors_text TEXT NOT NULL DEFAULT '';
UPDATE papers SET authors_text = COALESCE((
  SELECT group_concat(name, ', ') FROM (
    SELECT a.name FROM paper_authors pa JOIN authors a ON a.id = pa.author_id
    WHERE pa.paper_id = papers.id ORDER BY pa.position
  )
), '');

DROP TRIGGER papers_fts_insert;
DROP TRIGGER papers_fts_delete;
DROP TRIGGER papers_fts_update;
DROP TABLE papers_fts;
DELETE FROM fts_pending;

CREATE VIRTUAL TABLE papers_fts USING fts5(
  title, abstract, authors_text,
  content='papers', content_rowid='doc_id', tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO papers_fts (papers_fts) VALUES ('rebuild');

CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers BEGIN
  INSERT OR IGNORE INTO fts_pending (doc_id) VALUES (new.doc_id);
END;
CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
  INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors_text)
    SELECT 'delete', old.doc_id, old.title, old.abstract, old.authors_text
    WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE doc_id = old.doc_id);
  DELETE FROM fts_pending WHERE doc_id = old.doc_id;
END;
CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract, authors_text ON papers
WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE doc_id = old.doc_id) BEGIN
  INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors_text)
    VALUES ('delete', old.doc_id, old.title, old.abstract, old.authors_text);
  INSERT INTO papers_fts (rowid, title, abstract, authors_text) VALUES (new.doc_id, new.title, new.abstract, new.authors_text);
END;
`;
