/**
 * A paper's row is rewritten whole when an import changes any of its fields (upvotes, a summary): the keyword index
 * follows only when its text changed, instead of taking the paper out and putting it back on every such update.
 */
export const ftsUpdateOnChange = `
DROP TRIGGER papers_fts_update;
CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract, authors_text ON papers
WHEN (old.title IS NOT new.title OR old.abstract IS NOT new.abstract OR old.authors_text IS NOT new.authors_text)
  AND NOT EXISTS (SELECT 1 FROM fts_pending WHERE doc_id = old.doc_id) BEGIN
  INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors_text)
    VALUES ('delete', old.doc_id, old.title, old.abstract, old.authors_text);
  INSERT INTO papers_fts (rowid, title, abstract, authors_text) VALUES (new.doc_id, new.title, new.abstract, new.authors_text);
END;
`;
