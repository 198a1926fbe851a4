/**
 * The Hugging Face entry a paper was imported with (4.5 KB on average) moves out of the paper's row: inside it,
 * every read of a listed paper walked the entry's overflow pages to reach the columns after it. Only the Hugging
 * Face API answers read it. The emptied column stays, always null: dropping it would rewrite every paper's row,
 * minutes at millions of papers.
 */
export const hfExtraApart = `
CREATE TABLE paper_hf_extras (
  paper_id TEXT PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
  hf_extra TEXT NOT NULL
);
INSERT INTO paper_hf_extras (paper_id, hf_extra) SELECT id, hf_extra FROM papers WHERE hf_extra IS NOT NULL;
UPDATE papers SET hf_extra = NULL WHERE hf_extra IS NOT NULL;
`;
