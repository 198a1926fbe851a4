// The SciFact dev split (../shared/data/scifact-dev): its corpus as papers, its claims as queries, and nDCG@10 /
// recall@100 over its graded judgments. Corpus papers get old-style arXiv ids ("scifact/0000001", in corpus
// order) so they import like any other paper; arXiv papers mixed in are never relevant.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT, SHARED_DATA } from './full-data.ts';

export const SCIFACT_DIR = join(SHARED_DATA, 'scifact-dev');

export interface Judged {
  /** The claim's id in the split (a number as text). */
  id: string;
  text: string;
  /** Paper id → grade (1 = relevant). */
  relevant: Map<string, number>;
}

interface CorpusLine {
  doc_id: string | number;
  title: string;
  abstract: string;
}

const paperId = (index: number) => `scifact/${String(index + 1).padStart(7, '0')}`;

/** The corpus as an arXiv-listings JSON-lines file (written once under data/), and corpus id → paper id. */
export function scifactCorpus(): { file: string; ids: Map<string, string>; size: number } {
  const lines = gunzipSync(readFileSync(join(SCIFACT_DIR, 'corpus.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const ids = new Map<string, string>();
  const records = lines.map((line, index) => {
    const doc = JSON.parse(line) as CorpusLine;
    ids.set(String(doc.doc_id), paperId(index));
    return JSON.stringify({
      id: paperId(index),
      title: doc.title.trim() || '(untitled)',
      summary: doc.abstract,
      authors: [],
      categories: [],
    });
  });
  mkdirSync(join(ROOT, 'data'), { recursive: true });
  const file = join(ROOT, 'data/scifact-corpus.jsonl');
  if (!existsSync(file)) writeFileSync(file, `${records.join('\n')}\n`);
  return { file, ids, size: records.length };
}

/** The training claims with their judgments, as paper ids. */
export function scifactQueries(ids: Map<string, string>): Judged[] {
  const texts = new Map<string, string>();
  for (const line of readFileSync(join(SCIFACT_DIR, 'queries-train.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const query = JSON.parse(line) as { query_id: string | number; text: string };
    texts.set(String(query.query_id), query.text);
  }
  const judged = new Map<string, Judged>();
  for (const line of readFileSync(join(SCIFACT_DIR, 'qrels-train.tsv'), 'utf8').split('\n')) {
    const [queryId, docId, score] = line.trim().split('\t');
    const paper = ids.get(docId ?? '');
    const text = texts.get(queryId ?? '');
    if (!paper || text === undefined || !(Number(score) > 0)) continue;
    const entry = judged.get(queryId ?? '') ?? { id: queryId ?? '', text, relevant: new Map() };
    entry.relevant.set(paper, Number(score));
    judged.set(queryId ?? '', entry);
  }
  return [...judged.values()];
}

/** nDCG at `k` of a ranking against graded judgments. */
export function ndcg(ranked: string[], relevant: Map<string, number>, k: number): number {
  const gain = (grade: number, rank: number) => (2 ** grade - 1) / Math.log2(rank + 2);
  const dcg = ranked.slice(0, k).reduce((sum, id, rank) => sum + gain(relevant.get(id) ?? 0, rank), 0);
  const ideal = [...relevant.values()]
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, grade, rank) => sum + gain(grade, rank), 0);
  return ideal > 0 ? dcg / ideal : 0;
}

export function recall(ranked: string[], relevant: Map<string, number>, k: number): number {
  const found = ranked.slice(0, k).filter((id) => relevant.has(id)).length;
  return relevant.size > 0 ? found / relevant.size : 0;
}
