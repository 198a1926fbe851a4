import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ClusteredLsaModel, trainClusteredLsa } from '../src/embeddings/clustered-lsa-model.ts';
import { trainLsa } from '../src/embeddings/lsa-model.ts';
import { titleToAbstractScore } from '../src/embeddings/model-quality.ts';
import { loadEmbeddingModel, trainCheckedModel } from '../src/services/embed-papers.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { paperRecord } from './helpers/records.ts';
import { tempDir } from './helpers/temp.ts';

const GROUPS = 21;

/** Papers on 21 topics that share no words: a paper's title and abstract use its topic's words only. */
function topicPapers(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const word = (j: number) => `topic${String.fromCharCode(97 + (i % GROUPS))}word${'abcde'[(i + j) % 5]}`;
    return {
      id: `2502.${String(10000 + i)}`,
      title: `${word(0)} ${word(1)}`,
      abstract: `${word(0)} ${word(1)} ${word(2)} ${word(3)}.`,
    };
  });
}

test('title → abstract score: 1 when every title finds its own abstract first, lower for a model that sees less', async () => {
  const papers = topicPapers(105);
  const texts = papers.map((paper) => `${paper.title}\n${paper.abstract}`);
  const sample = papers.filter((_, i) => i < GROUPS);
  const options = { minDocuments: 2, powerIterations: 2 };
  const sharp = trainLsa(texts, { ...options, dimensions: 32 });
  const blunt = trainLsa(texts, { ...options, dimensions: 1 });
  assert.equal(await titleToAbstractScore(sharp, sample), 1);
  const bluntScore = await titleToAbstractScore(blunt, sample);
  assert.ok(bluntScore < 0.5, `a one-dimensional model ties most papers: ${bluntScore}`);
  assert.equal(await titleToAbstractScore(sharp, []), 0);
  const clustered = await trainClusteredLsa(texts, {
    ...options,
    dimensions: 8,
    globalDimensions: 24,
    papersPerCluster: 35,
    localWeight: 0.8,
  });
  assert.ok(clustered instanceof ClusteredLsaModel, 'three clusters');
  assert.equal(await titleToAbstractScore(clustered, sample), 1, 'each title by its clusters’ vectors');
});

test('retraining keeps the model in use when the new one scores lower on held-out papers, unless forced', async () => {
  const store = await openSqliteStore(join(tempDir(), 'site.db'));
  try {
    await store.papers.writeBatch(
      topicPapers(105).map((paper) =>
        paperRecord(paper.id, { title: paper.title, abstract: paper.abstract }),
      ),
    );
    const options = { minDocuments: 2, powerIterations: 2 };
    const first = await trainCheckedModel(store, { ...options, dimensions: 32 });
    assert.equal(first.installed, true);
    assert.equal(first.currentScore, null, 'nothing to compare with');
    assert.equal(first.inUse, first.trained);
    assert.equal(first.trained.quality, first.score, 'the measured quality goes with the model');
    const stored = await loadEmbeddingModel(store);
    assert.equal(stored?.quality, first.score, 'and is stored with it (search weighs meaning by it)');
    assert.equal(stored?.model, first.trained.model);

    const worse = await trainCheckedModel(store, { ...options, dimensions: 1 });
    assert.equal(worse.installed, false);
    assert.ok(worse.currentScore !== null && worse.score < worse.currentScore);
    assert.equal(worse.inUse.model, first.trained.model);
    assert.equal(await store.vectors.embeddingModelName(), first.trained.model, 'the stored model stays');

    const same = await trainCheckedModel(store, { ...options, dimensions: 32 });
    assert.equal(same.installed, true, 'as good as the model in use is good enough');

    const forced = await trainCheckedModel(store, { ...options, dimensions: 1, force: true });
    assert.equal(forced.installed, true);
    assert.equal(await store.vectors.embeddingModelName(), forced.trained.model);

    // A clustered model's parts are saved as they are trained (for resuming), and dropped at the end.
    const runs = new Set<string>();
    const save = store.vectors.saveTrainingPart.bind(store.vectors);
    store.vectors.saveTrainingPart = (run, part, data) => {
      runs.add(run);
      return save(run, part, data);
    };
    const clustered = await trainCheckedModel(store, { ...options, dimensions: 8, papersPerCluster: 35 });
    assert.ok(clustered.trained instanceof ClusteredLsaModel);
    assert.equal(runs.size, 1);
    assert.equal((await store.vectors.trainingParts([...runs][0] as string)).size, 0, 'dropped');
  } finally {
    await store.close();
  }
});
