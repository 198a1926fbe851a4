/** SQLite's 016 on PostgreSQL: a paper's ordered authors on its row, so that reading papers joins no authors. */
export const authorsJson = `
ALTER TABLE papers ADD COLUMN authors_json text NOT NULL DEFAULT '[]';
UPDATE papers p SET authors_json = s.list FROM (
  SELECT pa.paper_id, json_agg(json_build_array(a.name, pa.hf_id, pa.hidden) ORDER BY pa.position)::text AS list
  FROM paper_authors pa JOIN authors a ON a.id = pa.author_id GROUP BY pa.paper_id
) s WHERE s.paper_id = p.id;
`;
