/** The digest an address got before its personal digest took over, given back when the personal one stops. */
export const personalDigestReplaced = `
ALTER TABLE personal_digests ADD COLUMN replaced_frequency TEXT;
`;
