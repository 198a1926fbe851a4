import Database from 'better-sqlite3';
import type * as Words from '../index-words.ts';
import type { KeywordSearchThreads } from './keyword-search-thread.ts';

/** papers_fts's tokenizer (migration 004): a word's term is what this makes of it. */
export const INDEX_TOKENIZER = 'porter unicode61 remove_diacritics 2';

/**
 * Words as papers_fts stores them, from the same tokenizer on a small table in memory: FTS5 has no function that
 * stems a word, and its vocabulary tables list what a tokenizer made of each row.
 */
class Stemmer {
  private readonly db = new Database(':memory:');
  private readonly insert;
  private readonly read;
  private readonly clear;

  constructor() {
    this.db.exec(`CREATE VIRTUAL TABLE words USING fts5(word, tokenize='${INDEX_TOKENIZER}');
      CREATE VIRTUAL TABLE word_terms USING fts5vocab(words, instance);`);
    this.insert = this.db.prepare<[number, string]>('INSERT INTO words (rowid, word) VALUES (?, ?)');
    this.read = this.db.prepare<[], { doc: number; term: string }>(
      'SELECT doc, term FROM word_terms ORDER BY doc, offset',
    );
    this.clear = this.db.prepare('DELETE FROM words');
  }

  terms(words: string[]): Array<string | null> {
    const terms: Array<string | null> = words.map(() => null);
    this.db.transaction(() => {
      words.forEach((word, index) => {
        this.insert.run(index + 1, word);
      });
      for (const { doc, term } of this.read.all()) terms[doc - 1] ??= term;
      this.clear.run();
    })();
    return terms;
  }
}

let stemmer: Stemmer | null = null;

/** Each word as papers_fts stores it (see Stemmer), null for one it makes nothing of. */
export function indexTerms(words: string[]): Array<string | null> {
  stemmer ??= new Stemmer();
  return stemmer.terms(words);
}

/** The vocabulary queries on one connection (the keyword thread's, or the store's own without threads). */
export class IndexWordQueries {
  private statements: {
    vocabulary: Database.Statement<[number], Words.IndexTerm>;
    texts: Database.Statement<[string, number], string>;
  } | null = null;

  constructor(private readonly db: Database.Database) {}

  /** papers_fts's terms in `minPapers` papers or more: reads the whole index (FTS5 keeps no counts of papers). */
  vocabulary(minPapers: number): Words.IndexTerm[] {
    return this.prepared().vocabulary.all(minPapers);
  }

  textsWithTerm(term: string, limit: number): string[] {
    return this.prepared().texts.all(term, limit);
  }

  /** The index's vocabulary tables live in this connection's temp schema: no migration, nothing on disk. */
  private prepared() {
    if (!this.statements) {
      this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.papers_fts_terms USING fts5vocab(main, papers_fts, row);
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.papers_fts_instances USING fts5vocab(main, papers_fts, instance);`);
      this.statements = {
        vocabulary: this.db.prepare<[number], Words.IndexTerm>(
          'SELECT term, doc AS papers FROM temp.papers_fts_terms WHERE doc >= ?',
        ),
        texts: this.db
          .prepare<[string, number], string>(
            `SELECT title || ' ' || abstract FROM papers WHERE doc_id IN (
               SELECT DISTINCT doc FROM temp.papers_fts_instances WHERE term = ? LIMIT ?
             )`,
          )
          .pluck(),
      };
    }
    return this.statements;
  }
}

/**
 * Words.IndexWords on SQLite: the vocabulary is read on a keyword search thread where the database is a file (in
 * the lane of costly searches: it reads the whole index), else on the connection. Stemming needs no database.
 */
export class SqliteIndexWords implements Words.IndexWords {
  private readonly local: IndexWordQueries;

  constructor(
    db: Database.Database,
    private readonly threads: KeywordSearchThreads | null,
  ) {
    this.local = new IndexWordQueries(db);
  }

  async vocabulary(minPapers: number): Promise<Words.IndexTerm[]> {
    if (this.threads) return this.threads.run({ kind: 'vocabulary', minPapers });
    return this.local.vocabulary(minPapers);
  }

  async terms(words: string[]): Promise<Array<string | null>> {
    return indexTerms(words);
  }

  async textsWithTerm(term: string, limit: number): Promise<string[]> {
    if (this.threads) return this.threads.run({ kind: 'texts', term, limit });
    return this.local.textsWithTerm(term, limit);
  }
}
