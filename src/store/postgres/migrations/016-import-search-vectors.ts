/**
 * Imports may write a paper's keyword vector themselves: computing it is most of what writing a paper costs, and
 * an import computes the next batch's vectors on another connection (another server process, so another core)
 * while it writes the current one. The vector stays what migration 004 defined, now one function: a row written
 * without it (or with new text and the old vector) gets it from a trigger, so every other writer is unchanged.
 * New values of the large columns are compressed with lz4 where the server has it (faster than pglz both ways).
 */
export const importSearchVectors = `
CREATE FUNCTION paper_search_vector(title text, authors_text text, abstract text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english'::regconfig, translate(title, '-./@:+<>&', '         ')), 'A') ||
    setweight(to_tsvector('english'::regconfig, translate(authors_text, '-./@:+<>&', '         ')), 'B') ||
    setweight(to_tsvector('english'::regconfig, translate(abstract, '-./@:+<>&', '         ')), 'C')
$$;
ALTER TABLE papers ALTER COLUMN search_vector DROP EXPRESSION;

CREATE FUNCTION papers_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := paper_search_vector(NEW.title, NEW.authors_text, NEW.abstract);
  RETURN NEW;
END $$;
CREATE TRIGGER papers_search_vector_insert BEFORE INSERT ON papers FOR EACH ROW
  WHEN (NEW.search_vector IS NULL) EXECUTE FUNCTION papers_search_vector();
CREATE TRIGGER papers_search_vector_update BEFORE UPDATE OF title, authors_text, abstract, search_vector ON papers
  FOR EACH ROW WHEN (NEW.search_vector IS NULL OR (
    (NEW.title, NEW.authors_text, NEW.abstract) IS DISTINCT FROM (OLD.title, OLD.authors_text, OLD.abstract)
    AND NEW.search_vector IS NOT DISTINCT FROM OLD.search_vector))
  EXECUTE FUNCTION papers_search_vector();

DO $$
BEGIN
  ALTER TABLE papers ALTER COLUMN search_vector SET COMPRESSION lz4, ALTER COLUMN abstract SET COMPRESSION lz4,
    ALTER COLUMN authors_json SET COMPRESSION lz4, ALTER COLUMN hf_extra SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL; -- a server built without lz4 keeps pglz
END $$;
`;
