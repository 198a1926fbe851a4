/**
 * Links to papers (similar papers, "For you", collections) read the title, date and upvotes of papers picked all over
 * the table: from their rows, each a page or more of its own, most of them not in the page cache. This index holds
 * just those columns, some 40 papers a page: 12 links read in about half the CPU at 80k papers (docs/benchmarks.md).
 * papers_signals stays as narrow as it is, for search's signals of hundreds of candidates.
 */
export const paperLinks = `
CREATE INDEX papers_links ON papers(id, hidden, title, published_at, imported_upvotes, member_upvotes);
`;
