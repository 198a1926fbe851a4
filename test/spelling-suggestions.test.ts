import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseSearchQuery } from '../src/domain/search-query.ts';
import { allowedEdits, needsCorrection } from '../src/domain/spelling.ts';
import { countSiteWords, suggestSpelling } from '../src/services/spelling-suggestions.ts';
import type { Store } from '../src/store/store.ts';
import { paperRecord } from './helpers/records.ts';
import { type RunningSite, startSite } from './helpers/site.ts';
import { freshStore, STORE_KINDS, skipStoreKind } from './helpers/stores.ts';

/**
 * "transformer" in 4 papers, "transformed" in 3, "transform" in 1 (all indexed as "transform"), "studying" in 3
 * ("studi"); "graph" and "neural" in all.
 */
function papers() {
  const abstracts = [
    'A transformer for graph neural learning.',
    'The transformer attends over graph neural nodes.',
    'Sparse transformer layers on graph neural data.',
    'One more transformer and a graph neural baseline.',
    'Signals transformed by a graph neural filter.',
    'Images transformed with graph neural operators.',
    'Text transformed into graph neural form; we transform it while studying it.',
    'Studying graph neural signals.',
    'We are studying graph neural maps.',
  ];
  return abstracts.map((abstract, i) =>
    paperRecord(`2503.${String(10000 + i)}`, { title: `Graph neural study ${i}`, abstract }),
  );
}

const suggest = (store: Store, text: string) => suggestSpelling(store, text, parseSearchQuery(text));

test('which words are corrected, and by how many letters at most', () => {
  assert.equal(needsCorrection('transformr', 0), true, 'in no paper');
  assert.equal(needsCorrection('rare', 1), true, 'in fewer than 3 papers');
  assert.equal(needsCorrection('transformer', 4), false);
  assert.equal(needsCorrection('gpt4', 0), false, 'an identifier is written on purpose');
  assert.equal(needsCorrection('cat', 0), false, 'a short word: one edit makes another word');
  assert.deepEqual(['the', 'graph', 'transformr'].map(allowedEdits), [0, 1, 2]);
});

for (const kind of STORE_KINDS) {
  describe(`did you mean, on ${kind}`, { skip: skipStoreKind(kind) }, () => {
    let store: Store;
    before(async () => {
      store = await freshStore(kind);
      await store.papers.writeBatch(papers());
    });
    after(async () => store?.close());

    test('a rare word becomes the commonest word of the papers within its edits; the rest of the query stays', async () => {
      assert.equal(await suggest(store, 'transformr'), null, 'a search does not wait for the first count');
      await countSiteWords(store);
      assert.equal(await suggest(store, 'transformr'), 'transformer');
      assert.equal(await suggest(store, 'Graph Transformr after:2025-01'), 'Graph transformer after:2025-01');
      assert.equal(await suggest(store, 'transfomed graph'), 'transformed graph', 'one edit beats two');
      assert.equal(await suggest(store, 'graph neural'), null, 'common words: nothing to suggest');
      assert.equal(await suggest(store, 'quantum'), null, 'nothing near it');
      assert.equal(await suggest(store, '2503.10001'), null, 'an arXiv id');
      assert.equal(
        await suggest(store, 'transform'),
        null,
        'in one paper as written, in 7 as the index counts it',
      );
      assert.equal(await suggest(store, 'studyng'), 'studying', 'not one edit from its stem "studi"');
      assert.equal(await suggest(store, 'transformers'), null, 'the index finds it: "transform"');
    });
  });
}

describe('did you mean on the search page and in the API', () => {
  let site: RunningSite;
  before(async () => {
    site = await startSite({ records: papers() });
    await countSiteWords(site.store);
  });
  after(async () => site?.close());

  test('the page links the corrected search; the API sends it in x-did-you-mean', async () => {
    const page = await (await fetch(`${site.url}/search?q=transformr&sort=newest`)).text();
    assert.match(page, /Did you mean <a href="\/search\?q=transformer&amp;sort=newest">transformer<\/a>\?/);
    const plain = await (await fetch(`${site.url}/search?q=transformer`)).text();
    assert.doesNotMatch(plain, /Did you mean/);
    const api = await fetch(`${site.url}/api/papers/search?q=${encodeURIComponent('graph transformr')}`);
    assert.equal(api.status, 200);
    assert.equal(decodeURIComponent(api.headers.get('x-did-you-mean') ?? ''), 'graph transformer');
    const exact = await fetch(`${site.url}/api/papers/search?q=transformer`);
    assert.equal(exact.headers.get('x-did-you-mean'), null);
  });
});
