/** Indexes for the unfiltered newest-first list and the visible-paper counts (GET /api/daily_papers). */
export const listIndexes = `
CREATE INDEX daily_entries_newest ON daily_entries(day DESC, position ASC);
CREATE INDEX papers_newest_visible ON papers(published_at, id) WHERE hidden = 0;
CREATE INDEX papers_hidden ON papers(id) WHERE hidden = 1;
`;
