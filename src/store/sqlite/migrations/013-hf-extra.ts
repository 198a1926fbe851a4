/** What only Hugging Face serves about a paper (its ids, flags, media, author accounts), kept as imported. */
export const hfExtra = `
ALTER TABLE papers ADD COLUMN hf_extra TEXT;
`;
