import type pg from 'pg';
import type { PaperColumns } from '../paper-merge.ts';

type SearchTexts = Pick<PaperColumns, 'title' | 'authors_text' | 'abstract'>;

/** NUL never reaches PostgreSQL text (paper-writer.ts drops it), so it cannot occur inside a part. */
const textsKey = (texts: SearchTexts) => `${texts.title}\0${texts.authors_text}\0${texts.abstract}`;

/**
 * Keyword vectors (migration 016's `paper_search_vector`) of papers about to be written, computed on a connection of
 * their own while the writer's connection writes the batch before: the server computes them in another process,
 * on another core. The writer takes a vector by its texts; one it cannot get (never asked for, or the query failed)
 * is null, and the row's trigger computes it.
 */
export class SearchVectorPrefetch {
  /** The vectors of the last two batches asked for: the one being written and the next. */
  private current = new Map<string, Promise<string | null>>();
  private previous = new Map<string, Promise<string | null>>();

  constructor(private readonly pool: pg.Pool) {}

  ask(papers: SearchTexts[]): void {
    const keys = [...new Set(papers.map(textsKey))].filter((key) => !this.current.has(key));
    this.previous = this.current;
    this.current = new Map();
    if (keys.length === 0) return;
    const parts = keys.map((key) => key.split('\0'));
    const vectors = this.pool
      .query<{ vector: string }>(
        `SELECT paper_search_vector(t.title, t.authors_text, t.abstract)::text AS vector
         FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(title, authors_text, abstract, n)
         ORDER BY t.n`,
        [parts.map((part) => part[0]), parts.map((part) => part[1]), parts.map((part) => part[2])],
      )
      .then(
        (result) => result.rows.map((row) => row.vector),
        () => null,
      );
    keys.forEach((key, index) => {
      this.current.set(
        key,
        vectors.then((rows) => rows?.[index] ?? null),
      );
    });
  }

  /** The vector of these texts as text, or null when it was not computed ahead. */
  async take(texts: SearchTexts): Promise<string | null> {
    const key = textsKey(texts);
    const vector = this.current.get(key) ?? this.previous.get(key);
    return vector ? await vector : null;
  }
}
