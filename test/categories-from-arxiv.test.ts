import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { searchPapers } from '../src/services/search-papers.ts';
import type { Store } from '../src/store/store.ts';
import { paperRecord } from './helpers/records.ts';
import { freshStore, STORE_KINDS, skipStoreKind } from './helpers/stores.ts';

/** A paper as Hugging Face lists it: no arXiv version, no categories. */
const fromHf = (id: string) => {
  const { categories: _none, ...record } = paperRecord(id, {
    source: 'huggingface',
    version: null,
    title: 'Sparse attention for long documents',
    importedUpvotes: 12,
  });
  return record;
};
/** The same paper in the arXiv listings, which carry its categories. */
const fromArxiv = (id: string) =>
  paperRecord(id, {
    version: 1,
    title: 'Sparse attention for long documents',
    categories: ['cs.CL', 'cs.LG'],
  });

const ids = async (store: Store, query: string) =>
  (await searchPapers({ store }, query, { limit: 10, offset: 0, mode: 'keyword' })).hits.map(
    (hit) => hit.paper.id,
  );

for (const kind of STORE_KINDS) {
  describe(`cat: on Hugging Face papers, on ${kind}`, { skip: skipStoreKind(kind) }, () => {
    let store: Store;
    before(async () => {
      store = await freshStore(kind);
      // Hugging Face first, then the arXiv listings; and the other way round; and one known from Hugging Face only.
      await store.papers.writeBatch([fromHf('2504.00001')]);
      await store.papers.writeBatch([fromArxiv('2504.00001'), fromArxiv('2504.00002')]);
      await store.papers.writeBatch([fromHf('2504.00002'), fromHf('2504.00003')]);
    });
    after(async () => store?.close());

    test('a paper the arXiv listings also carry gets their categories, whichever was imported first', async () => {
      assert.deepEqual(await ids(store, 'sparse attention cat:cs.CL'), ['2504.00001', '2504.00002']);
      assert.deepEqual(await ids(store, 'sparse attention cat:cs'), ['2504.00001', '2504.00002']);
      for (const id of ['2504.00001', '2504.00002']) {
        const paper = await store.papers.getPaper(id);
        assert.deepEqual(paper?.categories, ['cs.CL', 'cs.LG'], id);
        assert.equal(paper?.upvotes, 12, `${id} keeps what Hugging Face adds`);
      }
      assert.deepEqual(
        (await store.papers.getPaper('2504.00003'))?.categories,
        [],
        'known from Hugging Face only',
      );
    });
  });
}
