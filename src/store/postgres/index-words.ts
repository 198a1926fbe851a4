import type pg from 'pg';
import type * as Words from '../index-words.ts';

/** A word as the search vector's parts are made (migration 004): punctuation to spaces, then `english`. */
const wordVector = (word: string) =>
  `to_tsvector('english'::regconfig, translate(${word}, '-./@:+<>&', '         '))`;

/** A lexeme as a tsquery source: quoted, so that nothing in it acts as tsquery syntax. */
const lexemeQuery = (term: string) => `'${term.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;

/** Words.IndexWords on the weighted tsvector; the vocabulary is ts_stat's, within the limit on costly searches. */
export class PostgresIndexWords implements Words.IndexWords {
  constructor(
    private readonly pool: pg.Pool,
    /** Runs a query that reads the whole index within the store's limit on those. */
    private readonly costly: <T>(run: () => Promise<T>) => Promise<T>,
  ) {}

  /** ts_stat reads every paper's search vector: PostgreSQL keeps no counts of papers per lexeme. */
  async vocabulary(minPapers: number): Promise<Words.IndexTerm[]> {
    const { rows } = await this.costly(() =>
      this.pool.query<Words.IndexTerm>(
        `SELECT word AS term, ndoc AS papers FROM ts_stat('SELECT search_vector FROM papers') WHERE ndoc >= $1`,
        [minPapers],
      ),
    );
    return rows;
  }

  async terms(words: string[]): Promise<Array<string | null>> {
    const { rows } = await this.pool.query<{ term: string | null }>(
      `SELECT (tsvector_to_array(${wordVector('w')}))[1] AS term
       FROM unnest($1::text[]) WITH ORDINALITY AS given (w, n) ORDER BY n`,
      [words],
    );
    return rows.map((row) => row.term);
  }

  async textsWithTerm(term: string, limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ text: string }>(
      `SELECT title || ' ' || abstract AS text FROM papers WHERE search_vector @@ $1::tsquery LIMIT $2`,
      [lexemeQuery(term), limit],
    );
    return rows.map((row) => row.text);
  }
}
