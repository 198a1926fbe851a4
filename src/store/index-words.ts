/** A word as the keyword index stores it (stemmed), with the number of papers indexed under it. */
export interface IndexTerm {
  term: string;
  papers: number;
}

/**
 * The keyword index's own vocabulary, for "did you mean": the index's terms (stemmed as it stores words: SQLite's
 * porter tokenizer, PostgreSQL's `english` configuration), what a query word becomes in it, and papers' text to
 * find how a term is written.
 */
export interface IndexWords {
  /** The index's terms in at least `minPapers` papers, with their counts of papers (titles, abstracts, authors). */
  vocabulary(minPapers: number): Promise<IndexTerm[]>;
  /** Each word as the index stores it, or null for a word the index leaves out (a stop word, no letters). */
  terms(words: string[]): Promise<Array<string | null>>;
  /** Titles and abstracts (one string a paper) of at most `limit` papers indexed under `term`. */
  textsWithTerm(term: string, limit: number): Promise<string[]>;
}
