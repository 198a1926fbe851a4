/** SQLite's 014 on PostgreSQL: the digest an address got before its personal digest took over. */
export const personalDigestReplaced = `
ALTER TABLE personal_digests ADD COLUMN replaced_frequency text;
`;
