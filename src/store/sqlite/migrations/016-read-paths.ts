/**
 * A paper's ordered authors on its row as `[name, hf_id, hidden]` triples: pages read papers without an author join.
 * And the search's signals of a paper (upvotes, date, hidden) from an index, not from its kilobytes-long row.
 */
export const readPaths = `
CREATE INDEX papers_signals ON papers(id, hidden, imported_upvotes, member_upvotes, published_at);
ALTER TABLE papers ADD COLUMN authors_json TEXT NOT NULL DEFAULT '[]';
UPDATE papers SET authors_json = (
  SELECT json_group_array(json_array(a.name, pa.hf_id, pa.hidden) ORDER BY pa.position)
  FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE pa.paper_id = papers.id
) WHERE EXISTS (SELECT 1 FROM paper_authors pa WHERE pa.paper_id = papers.id);
`;
