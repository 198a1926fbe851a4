/**
 * Keyword search: a weighted tsvector (title A, authors B, abstract C; english stemming) that PostgreSQL keeps in
 * step with the row it is computed from (a stored generated column: the statement that writes a paper indexes it),
 * under a GIN index. Characters that join words into one token for PostgreSQL's parser (hyphens, dots, slashes,
 * @, :, +, <, >, &) are read as spaces first, so words split as SQLite's unicode61 tokenizer and the query
 * parser split them ("GPT-4" is gpt and 4; "LeCun-Other" holds lecun).
 */
export const search = `
ALTER TABLE papers ADD COLUMN authors_text text NOT NULL DEFAULT '';
UPDATE papers SET authors_text = COALESCE((
  SELECT string_agg(a.name, ', ' ORDER BY pa.position)
  FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE pa.paper_id = papers.id
), '');

ALTER TABLE papers ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english'::regconfig, translate(title, '-./@:+<>&', '         ')), 'A') ||
  setweight(to_tsvector('english'::regconfig, translate(authors_text, '-./@:+<>&', '         ')), 'B') ||
  setweight(to_tsvector('english'::regconfig, translate(abstract, '-./@:+<>&', '         ')), 'C')
) STORED;
-- Kept in the row rather than in TOAST (where a paper's abstract goes instead): ranking reads the vector of
-- every candidate, and an out-of-line fetch made that several times slower.
ALTER TABLE papers ALTER COLUMN search_vector SET STORAGE MAIN;
CREATE INDEX papers_search ON papers USING gin (search_vector);
-- cat: filters compare categories case-insensitively (cs.lg, an archive prefix cs.%); the index also gives the
-- planner statistics on lower(category), so it knows cs.CV is common.
CREATE INDEX paper_categories_lower ON paper_categories (lower(category) text_pattern_ops);
`;
