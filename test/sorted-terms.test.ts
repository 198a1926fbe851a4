import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SortedTerms } from '../src/embeddings/sorted-terms.ts';

test('every term is found at its row, and a term the vocabulary lacks is not', () => {
  const terms = ['network', 'a1', 'net', 'networks', 'zebrafish', 'b', 'learn'];
  const sorted = new SortedTerms(terms);
  terms.forEach((term, row) => assert.equal(sorted.rowOf(term), row));
  for (const missing of ['', 'ne', 'netw', 'networkss', 'zz', '0', 'café'])
    assert.equal(sorted.rowOf(missing), undefined);
  assert.deepEqual(sorted.list(), terms);
});

test('an empty vocabulary finds nothing', () => {
  const sorted = new SortedTerms([]);
  assert.equal(sorted.rowOf('network'), undefined);
  assert.deepEqual(sorted.list(), []);
});

test('a term that is not ASCII is refused', () => {
  assert.throws(() => new SortedTerms(['café']), /not ASCII/);
});
