/**
 * The Hugging Face entry a paper was imported with moves out of the paper's row into a table of its own, as in
 * SQLite (migration 021 there): only the Hugging Face API answers read it, and the papers rows stay small.
 */
export const hfExtraApart = `
CREATE TABLE paper_hf_extras (
  paper_id text PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
  hf_extra text COMPRESSION lz4 NOT NULL
);
INSERT INTO paper_hf_extras (paper_id, hf_extra) SELECT id, hf_extra FROM papers WHERE hf_extra IS NOT NULL;
ALTER TABLE papers DROP COLUMN hf_extra;
`;
