// The worker side of KeywordSearchThread: its own connection to the database file, answering one search at a time
// (and checkpointing the WAL when asked).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { collectAfterBursts } from '../../collect-garbage.ts';
import { SearchQueryError } from '../../domain/search-query.ts';
import { IndexWordQueries } from './index-words.ts';
import { KeywordSearch } from './keyword-search.ts';
import type {
  KeywordSearchRequest,
  KeywordSearchResponse,
  KeywordSearchWorkerData,
} from './keyword-search-thread.ts';
import { cacheSizePragma } from './page-cache.ts';
import { MatchQueries } from './search-matches.ts';

const { path, cacheMb } = workerData as KeywordSearchWorkerData;
const db = new Database(path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma(cacheSizePragma(cacheMb));
const keyword = new KeywordSearch(db);
const matches = new MatchQueries(db, keyword);
const indexWords = new IndexWordQueries(db);

function perform(task: KeywordSearchRequest['task']): unknown {
  switch (task.kind) {
    case 'search':
      return keyword.search(task.query, task.limit);
    case 'count':
      return matches.count(task.query, task.match, task.bound);
    case 'sorted':
      return matches.sorted(task.query, task.match, task.order, task.limit);
    case 'matching':
      return matches.matching(task.ids, task.query, task.match);
    case 'vocabulary':
      return indexWords.vocabulary(task.minPapers);
    case 'texts':
      return indexWords.textsWithTerm(task.term, task.limit);
  }
}

parentPort?.on('message', (message: KeywordSearchRequest | { checkpoint: true }) => {
  if ('checkpoint' in message) {
    // Copies committed pages from the WAL into the database here, off the thread that serves requests.
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // busy: the next one will do it
    }
    return;
  }
  const { id, task } = message;
  let response: KeywordSearchResponse;
  try {
    response = { id, result: perform(task) };
  } catch (error) {
    response = {
      id,
      error: error instanceof Error ? error.message : String(error),
      queryError: error instanceof SearchQueryError,
    };
  }
  parentPort?.postMessage(response);
});
collectAfterBursts();
parentPort?.postMessage({ ready: true });
