import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArxivIdError, normalizeArxivId, parseArxivId } from '../src/domain/arxiv-id.ts';

test('new-style ids, with and without version', () => {
  assert.deepEqual(parseArxivId('2405.15738'), { id: '2405.15738', version: null });
  assert.deepEqual(parseArxivId('2405.15738v3'), { id: '2405.15738', version: 3 });
  assert.deepEqual(parseArxivId(' arXiv:0704.0001v1 '), { id: '0704.0001', version: 1 });
});

test('old-style ids, including subject classes', () => {
  assert.deepEqual(parseArxivId('hep-th/9901001'), { id: 'hep-th/9901001', version: null });
  assert.deepEqual(parseArxivId('hep-th/9901001v2'), { id: 'hep-th/9901001', version: 2 });
  assert.equal(normalizeArxivId('math.GT/0309136'), 'math/0309136');
});

test('URLs people paste', () => {
  for (const url of [
    'https://arxiv.org/abs/2405.15738v2',
    'http://arxiv.org/pdf/2405.15738.pdf',
    'https://arxiv.org/pdf/2405.15738v1',
    'arxiv.org/abs/2405.15738?context=cs',
    'https://huggingface.co/papers/2405.15738',
    'https://export.arxiv.org/abs/2405.15738',
  ]) {
    assert.equal(normalizeArxivId(url), '2405.15738', url);
  }
  assert.equal(normalizeArxivId('https://arxiv.org/abs/hep-th/9901001v1'), 'hep-th/9901001');
});

test('rejects what is not an id', () => {
  for (const bad of [
    '',
    'hello',
    '2405.157',
    '12345.67890',
    'https://example.com/abs/2405.15738',
    'HEP-TH/9901001',
  ]) {
    assert.throws(() => parseArxivId(bad), InvalidArxivIdError, bad);
  }
});
