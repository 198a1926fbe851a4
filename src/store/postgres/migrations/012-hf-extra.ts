/** SQLite's 016 on PostgreSQL: the Hugging Face entry's own fields, as imported. Text, not jsonb, keeps it exact. */
export const hfExtra = `
ALTER TABLE papers ADD COLUMN hf_extra text;
`;
