// The limit bench:import compares the importer with: the same rows of the same file read, parsed and bulk-inserted
// as plainly as possible, into one table and an FTS5 index of title, abstract and authors, in one transaction,
// with better-sqlite3. No checks, no merging, no listings, no batching. Prints "papers SECONDS" on stdout.
//
//   node --import tsx bench/import-limit.ts arxiv-jsonl|hf-daily FILE DATABASE
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import Database from 'better-sqlite3';

const [source, file, database] = process.argv.slice(2);
if ((source !== 'arxiv-jsonl' && source !== 'hf-daily') || !file || !database)
  throw new Error('usage: import-limit.ts arxiv-jsonl|hf-daily FILE DATABASE');

interface Row {
  id: string;
  title: string;
  abstract: string;
  authors: string;
}

const names = (authors: unknown): string =>
  Array.isArray(authors)
    ? authors.map((author) => (typeof author === 'string' ? author : String(author?.name ?? ''))).join(', ')
    : '';

/** The papers of one line of the file. */
function rowsOf(line: string): Row[] {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line);
  } catch {
    return [];
  }
  const papers =
    source === 'arxiv-jsonl'
      ? [value]
      : (Array.isArray(value.response) ? value.response : []).map(
          (entry: { paper?: Record<string, unknown> }) => entry?.paper,
        );
  return papers.flatMap((paper: Record<string, unknown> | undefined) =>
    paper && typeof paper.id === 'string'
      ? [
          {
            id: paper.id,
            title: String(paper.title ?? ''),
            abstract: String(paper.summary ?? ''),
            authors: names(paper.authors),
          },
        ]
      : [],
  );
}

const started = performance.now();
const db = new Database(database);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`CREATE TABLE papers (id TEXT PRIMARY KEY, title TEXT, abstract TEXT, authors TEXT);
         CREATE VIRTUAL TABLE papers_fts USING fts5(title, abstract, authors, content='', tokenize='porter unicode61 remove_diacritics 2')`);
const insert = db.prepare<[string, string, string, string]>(
  'INSERT OR REPLACE INTO papers (id, title, abstract, authors) VALUES (?, ?, ?, ?)',
);
const index = db.prepare<[number | bigint, string, string, string]>(
  'INSERT INTO papers_fts (rowid, title, abstract, authors) VALUES (?, ?, ?, ?)',
);
const ids = new Set<string>();
db.exec('BEGIN');
for await (const line of createInterface({ input: createReadStream(file).pipe(createGunzip()) })) {
  for (const row of rowsOf(line)) {
    if (ids.has(row.id)) continue;
    ids.add(row.id);
    const { lastInsertRowid } = insert.run(row.id, row.title, row.abstract, row.authors);
    index.run(lastInsertRowid, row.title, row.abstract, row.authors);
  }
}
db.exec('COMMIT');
db.close();
process.stdout.write(`${ids.size} ${((performance.now() - started) / 1000).toFixed(3)}\n`);
