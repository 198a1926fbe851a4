/**
 * The site's embedding model and one vector per paper (Float32 little-endian bytes; a pgvector column could
 * replace them behind vectors.ts). A paper whose title or abstract changes loses its vector.
 *
 * seq orders writes for readers that keep up by watermark ("vectors after the last seq I saw"): it comes from
 * a sequence (never reused, unlike MAX(seq) + 1 after the newest row is deleted) and is taken only while holding
 * the vector-writer advisory lock until commit, so seqs become visible in increasing order and a reader never
 * misses a row committed below a seq it has already seen.
 */
export const vectors = `
CREATE TABLE embedding_models (
  id integer PRIMARY KEY CHECK (id = 1),
  model text NOT NULL,
  data bytea NOT NULL,
  created_at text NOT NULL DEFAULT iso_now()
);

CREATE SEQUENCE paper_vectors_seq AS bigint;
CREATE TABLE paper_vectors (
  doc_id integer PRIMARY KEY REFERENCES papers(doc_id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  model text NOT NULL,
  vector bytea NOT NULL
);
CREATE UNIQUE INDEX paper_vectors_seq_order ON paper_vectors(seq);

CREATE FUNCTION paper_vectors_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM paper_vectors WHERE doc_id = NEW.doc_id;
  RETURN NULL;
END $$;
CREATE TRIGGER paper_vectors_stale AFTER UPDATE OF title, abstract ON papers
  FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.abstract IS DISTINCT FROM NEW.abstract)
  EXECUTE FUNCTION paper_vectors_stale();
`;
