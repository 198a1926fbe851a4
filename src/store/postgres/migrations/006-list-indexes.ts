/**
 * Indexes for the unfiltered newest-first list and the visible-paper counts (GET /api/daily_papers), in the
 * order the queries sort: NULLS LAST as SQLite sorts NULL lowest, bytewise ("C") as SQLite compares text.
 */
export const listIndexes = `
CREATE INDEX daily_entries_newest ON daily_entries(day DESC NULLS LAST, position ASC NULLS FIRST);
CREATE INDEX papers_newest_visible ON papers(published_at COLLATE "C" DESC NULLS LAST, id COLLATE "C" DESC)
  WHERE hidden = 0;
CREATE INDEX papers_hidden ON papers(id) WHERE hidden = 1;
`;
