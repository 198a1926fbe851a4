// npm run tune:fusion -- --set scifact-dev --feedback — pseudo-relevance feedback tried for hybrid search on the
// SciFact dev claims (corpus alone): each claim's keyword list (200, as the site ranks it) and query vector computed
// once, every paper's vector held in memory and searched exactly, then:
//   rocchio   the query vector moved toward the mean vector of the k best keyword hits, searched, fused with BM25
//   centroid  a third score: cosine to the mean vector of the k best keyword hits, beside BM25 and the query's cosine
//   smooth    each fused score mixed with its m nearest candidates' scores (document-neighbour smoothing)
//   rm3       keyword-side expansion: the query's stems plus the T commonest stems of the k best keyword hits,
//             weighted, BM25 over every paper (own implementation), then fused with the query's cosine
// nDCG@10 over all claims and over the claims with even / odd ids (a setting only one half likes is noise).
import { join } from 'node:path';
import { fuseScores, meaningWeightFor, type ScoredHit } from '../src/domain/score-fusion.ts';
import { parseSearchQuery, queryText, type SearchQuery } from '../src/domain/search-query.ts';
import { withWordsRequired, wordMatchOf } from '../src/domain/word-matching.ts';
import { stemmedTerms } from '../src/embeddings/terms.ts';
import { loadEmbeddingModel } from '../src/services/embed-papers.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import type { Store } from '../src/store/store.ts';
import { ROOT } from './lib/full-data.ts';
import { plainQuery } from './lib/plain-query.ts';
import { type Judged, ndcg, scifactCorpus, scifactQueries } from './lib/scifact.ts';

interface Claim {
  judged: Judged;
  query: SearchQuery;
  words: ScoredHit[];
  vector: Float32Array;
  meaning: ScoredHit[];
}

const log = (line: string) => console.log(`[tune:fusion feedback] ${line}`);
const LIST = 200;
/** The semantic side's floor (search-index/semantic-search.ts MIN_QUERY_SIMILARITY). */
const MIN_SIMILARITY = 0.1;

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function unit(vector: Float32Array): Float32Array {
  const norm = Math.sqrt(dot(vector, vector)) || 1;
  return vector.map((value) => value / norm);
}

class Collection {
  constructor(
    readonly vectors: Map<string, Float32Array>,
    readonly dimensions: number,
  ) {}

  nearest(query: Float32Array): ScoredHit[] {
    const hits: ScoredHit[] = [];
    for (const [id, vector] of this.vectors) hits.push({ id, score: dot(query, vector) });
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, LIST).filter((hit) => hit.score >= MIN_SIMILARITY);
  }

  centroid(hits: ScoredHit[], k: number): Float32Array {
    const sum = new Float32Array(this.dimensions);
    for (const hit of hits.slice(0, k)) {
      const vector = this.vectors.get(hit.id);
      if (vector) for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (vector[i] as number);
    }
    return unit(sum);
  }

  vectorOf(id: string): Float32Array {
    return this.vectors.get(id) ?? new Float32Array(this.dimensions);
  }
}

function report(label: string, claims: Claim[], rank: (claim: Claim) => string[]): void {
  const gains = claims.map((claim) => ({
    even: Number(claim.judged.id) % 2 === 0,
    gain: ndcg(rank(claim), claim.judged.relevant, 10),
  }));
  const mean = (chosen: typeof gains) =>
    (chosen.reduce((sum, entry) => sum + entry.gain, 0) / chosen.length).toFixed(3);
  log(
    `${label}: ${mean(gains)} (${mean(gains.filter((entry) => entry.even))} / ${mean(gains.filter((entry) => !entry.even))})`,
  );
}

const ids = (hits: ScoredHit[]) => hits.map((hit) => hit.id);
const hybrid = (claim: Claim, words: ScoredHit[], meaning: ScoredHit[], weight: number) =>
  fuseScores(words, meaning, meaningWeightFor(claim.query.words, { meaningWeight: weight }));

function rocchio(claims: Claim[], collection: Collection): void {
  for (const k of [3, 5, 10]) {
    for (const beta of [0.5, 1, 2]) {
      const moved = new Map(
        claims.map((claim) => {
          const centroid = collection.centroid(claim.words, k);
          return [
            claim,
            collection.nearest(unit(claim.vector.map((x, i) => x + beta * (centroid[i] as number)))),
          ];
        }),
      );
      report(`rocchio k ${k} β ${beta}, semantic alone`, claims, (claim) => ids(moved.get(claim) ?? []));
      for (const weight of [0.2, 0.3, 0.5, 0.8])
        report(`rocchio k ${k} β ${beta}, hybrid weight ${weight}`, claims, (claim) =>
          ids(hybrid(claim, claim.words, moved.get(claim) ?? [], weight)),
        );
    }
  }
}

function centroidScore(claims: Claim[], collection: Collection): void {
  for (const k of [3, 5, 10]) {
    for (const weight of [0.1, 0.2, 0.3]) {
      for (const extra of [0.1, 0.2, 0.3, 0.5]) {
        report(`centroid k ${k}, meaning ${weight}, centroid ${extra}`, claims, (claim) => {
          const centroid = collection.centroid(claim.words, k);
          const fused = hybrid(claim, claim.words, claim.meaning, weight);
          const cosines = new Map(fused.map((hit) => [hit.id, dot(centroid, collection.vectorOf(hit.id))]));
          const values = [...cosines.values()];
          const [low, high] = [Math.min(...values), Math.max(...values)];
          const scaled = (id: string) => ((cosines.get(id) ?? low) - low) / (high - low || 1);
          return fused
            .map((hit) => ({ id: hit.id, score: hit.score + extra * scaled(hit.id) }))
            .sort((a, b) => b.score - a.score)
            .map((hit) => hit.id);
        });
      }
    }
  }
}

function smooth(claims: Claim[], collection: Collection): void {
  for (const weight of [0.2, 0.4]) {
    const prepared = claims.map((claim) => {
      const hits = hybrid(claim, claim.words, claim.meaning, weight).slice(0, 100);
      const vectors = hits.map((hit) => collection.vectorOf(hit.id));
      const neighbours = vectors.map((vector, i) =>
        hits
          .map((hit, j) => ({
            similarity: i === j ? -1 : dot(vector, vectors[j] as Float32Array),
            score: hit.score,
          }))
          .sort((a, b) => b.similarity - a.similarity),
      );
      return { claim, hits, neighbours };
    });
    const byClaim = new Map(prepared.map((entry) => [entry.claim, entry]));
    for (const m of [3, 5, 10, 20]) {
      for (const lambda of [0.1, 0.2, 0.4]) {
        report(`smooth meaning ${weight}, ${m} neighbours, λ ${lambda}`, claims, (claim) => {
          const entry = byClaim.get(claim);
          if (!entry) return [];
          return entry.hits
            .map((hit, i) => {
              const near = (entry.neighbours[i] ?? []).slice(0, m).filter((n) => n.similarity > 0);
              const total = near.reduce((sum, n) => sum + n.similarity, 0);
              const around = total > 0 ? near.reduce((sum, n) => sum + n.similarity * n.score, 0) / total : 0;
              return { id: hit.id, score: (1 - lambda) * hit.score + lambda * around };
            })
            .sort((a, b) => b.score - a.score)
            .map((hit) => hit.id);
        });
      }
    }
  }
}

/** BM25 (k1 1.2, b 0.75) with weighted query stems over every paper's title and abstract. */
class Bm25 {
  private readonly terms = new Map<string, Map<string, number>>();
  private readonly lengths = new Map<string, number>();
  private readonly frequencies = new Map<string, number>();
  private averageLength = 0;

  static async of(store: Store): Promise<Bm25> {
    const index = new Bm25();
    for (let after = 0; ; ) {
      const page = await store.vectors.listPaperTexts(after, 2_000);
      for (const paper of page) index.add(paper.id, stemmedTerms(`${paper.title}\n${paper.abstract}`));
      if (page.length < 2_000) break;
      after = page.at(-1)?.position ?? after;
    }
    index.averageLength = [...index.lengths.values()].reduce((sum, n) => sum + n, 0) / index.lengths.size;
    return index;
  }

  private add(id: string, stems: string[]): void {
    const counts = new Map<string, number>();
    for (const stem of stems) counts.set(stem, (counts.get(stem) ?? 0) + 1);
    this.terms.set(id, counts);
    this.lengths.set(id, stems.length);
    for (const stem of counts.keys()) this.frequencies.set(stem, (this.frequencies.get(stem) ?? 0) + 1);
  }

  termsOf(id: string): { counts: Map<string, number>; length: number } {
    return { counts: this.terms.get(id) ?? new Map(), length: this.lengths.get(id) ?? 1 };
  }

  rank(query: Map<string, number>): ScoredHit[] {
    const papers = this.terms.size;
    const idf = new Map(
      [...query.keys()].map((stem) => {
        const df = this.frequencies.get(stem) ?? 0;
        return [stem, Math.log(1 + (papers - df + 0.5) / (df + 0.5))];
      }),
    );
    const hits: ScoredHit[] = [];
    for (const [id, counts] of this.terms) {
      const norm = 1.2 * (0.25 + (0.75 * (this.lengths.get(id) ?? 0)) / this.averageLength);
      let score = 0;
      for (const [stem, weight] of query) {
        const f = counts.get(stem) ?? 0;
        if (f > 0) score += weight * (idf.get(stem) ?? 0) * ((f * 2.2) / (f + norm));
      }
      if (score > 0) hits.push({ id, score });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, LIST);
  }
}

async function rm3(claims: Claim[], store: Store): Promise<void> {
  const bm25 = await Bm25.of(store);
  const stemsOf = (claim: Claim) => {
    const counts = new Map<string, number>();
    for (const stem of stemmedTerms(queryText(claim.query))) counts.set(stem, (counts.get(stem) ?? 0) + 1);
    return counts;
  };
  report('own BM25 (no expansion)', claims, (claim) => ids(bm25.rank(stemsOf(claim))));
  // Measured once also at λ 0.5 (lower than λ 0.3 at every k and term count) and 20 terms (between 10 and 40).
  for (const k of [3, 5, 10]) {
    for (const count of [10, 40]) {
      for (const lambda of [0.3]) {
        const expanded = new Map(
          claims.map((claim) => {
            const original = stemsOf(claim);
            const originalTotal = [...original.values()].reduce((sum, n) => sum + n, 0);
            const best = claim.words[0]?.score ?? 1;
            const feedback = new Map<string, number>();
            for (const hit of claim.words.slice(0, k)) {
              const { counts, length } = bm25.termsOf(hit.id);
              for (const [stem, f] of counts)
                feedback.set(stem, (feedback.get(stem) ?? 0) + (hit.score / best) * (f / length));
            }
            const chosen = [...feedback].sort((a, b) => b[1] - a[1]).slice(0, count);
            const chosenTotal = chosen.reduce((sum, [, weight]) => sum + weight, 0) || 1;
            const query = new Map<string, number>();
            for (const [stem, n] of original) query.set(stem, ((1 - lambda) * n) / originalTotal);
            for (const [stem, weight] of chosen)
              query.set(stem, (query.get(stem) ?? 0) + (lambda * weight) / chosenTotal);
            return [claim, bm25.rank(query)];
          }),
        );
        report(`rm3 k ${k}, ${count} terms, λ ${lambda}, keyword alone`, claims, (claim) =>
          ids(expanded.get(claim) ?? []),
        );
        for (const weight of [0.1, 0.2, 0.3])
          report(`rm3 k ${k}, ${count} terms, λ ${lambda}, hybrid weight ${weight}`, claims, (claim) =>
            ids(hybrid(claim, expanded.get(claim) ?? [], claim.meaning, weight)),
          );
      }
    }
  }
}

export async function tuneScifactFeedback(experiments: string[]): Promise<void> {
  const store = await openSqliteStore(join(ROOT, 'data/eval-scifact.db'));
  try {
    const embedder = await loadEmbeddingModel(store);
    if (!embedder)
      throw new Error('no model in data/eval-scifact.db: run npm run eval:search -- --set scifact-dev');
    const vectors = new Map<string, Float32Array>();
    for (let after = 0; ; ) {
      const batch = await store.vectors.readVectors(embedder.model, after, 5_000);
      for (const entry of batch) vectors.set(entry.id, entry.vector);
      if (batch.length < 5_000) break;
      after = batch.at(-1)?.seq ?? after;
    }
    const collection = new Collection(vectors, embedder.dimensions);
    const claims: Claim[] = [];
    for (const judged of scifactQueries(scifactCorpus().ids)) {
      const query = parseSearchQuery(plainQuery(judged.text));
      const all =
        wordMatchOf(query) === 'all' && (await store.searchMatches.count(query, 'all', 1)).count > 0;
      const words = await store.papers.keywordSearch(all ? withWordsRequired(query) : query, LIST);
      const [vector] = await embedder.embed([queryText(query)]);
      if (!vector) throw new Error(`no vector for claim ${judged.id}`);
      claims.push({ judged, query, words, vector, meaning: collection.nearest(vector) });
    }
    log(`${claims.length} claims, ${vectors.size} papers, model ${embedder.model}`);
    report('keyword', claims, (claim) => ids(claim.words));
    report('semantic', claims, (claim) => ids(claim.meaning));
    report('hybrid weight 0.2 (the default)', claims, (claim) =>
      ids(hybrid(claim, claim.words, claim.meaning, 0.2)),
    );
    const better = claims.map((claim) =>
      Math.max(
        ndcg(ids(claim.words), claim.judged.relevant, 10),
        ndcg(ids(claim.meaning), claim.judged.relevant, 10),
      ),
    );
    log(
      `the better of keyword and semantic per claim: ${(better.reduce((s, g) => s + g, 0) / better.length).toFixed(3)}`,
    );
    if (experiments.includes('rocchio')) rocchio(claims, collection);
    if (experiments.includes('centroid')) centroidScore(claims, collection);
    if (experiments.includes('smooth')) smooth(claims, collection);
    if (experiments.includes('rm3')) await rm3(claims, store);
  } finally {
    await store.close();
  }
}
