/**
 * The last vector seq handed out, kept apart from paper_vectors: MAX(seq) + 1 went back when the newest vector went
 * stale, and a reader already past that seq would never load the re-embedded paper.
 */
export const vectorSeq = `
CREATE TABLE vector_seq (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last INTEGER NOT NULL
);
INSERT INTO vector_seq (id, last) SELECT 1, COALESCE(MAX(seq), 0) FROM paper_vectors;
`;
