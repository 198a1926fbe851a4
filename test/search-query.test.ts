import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSearchQuery, queryText, SearchQueryError } from '../src/domain/search-query.ts';

test('free words, phrases, exclusions and filters', () => {
  const query = parseSearchQuery(
    'heuristics "reinforcement learning" -survey author:"Yann LeCun" org:meta cat:cs.LG after:2025-01 before:2025',
  );
  assert.deepEqual(query.words, ['heuristics']);
  assert.deepEqual(query.phrases, [['reinforcement', 'learning']]);
  assert.deepEqual(query.excluded, ['survey']);
  assert.deepEqual(query.authors, ['Yann LeCun']);
  assert.deepEqual(query.organizations, ['meta']);
  assert.deepEqual(query.categories, ['cs.LG']);
  assert.equal(query.after, '2025-01-01');
  assert.equal(query.before, '2025-12-31');
  assert.equal(queryText(query), 'reinforcement learning heuristics');
});

test('an arXiv id or paper URL alone means that paper', () => {
  for (const input of [
    '2411.12345',
    '2411.12345v2',
    'https://arxiv.org/abs/2411.12345',
    'https://huggingface.co/papers/2411.12345',
    'hep-th/9901001',
  ]) {
    assert.ok(parseSearchQuery(input).paperId, input);
  }
  assert.equal(parseSearchQuery('https://arxiv.org/pdf/2411.12345v1').paperId, '2411.12345');
  assert.equal(parseSearchQuery('2411.12345 transformers').paperId, null);
});

test('punctuation is never syntax; unknown prefixes are words; an open quote runs to the end', () => {
  assert.deepEqual(parseSearchQuery('C++ (NEAR) AND* x^2 {title}').words, [
    'c',
    'near',
    'and',
    'x',
    '2',
    'title',
  ]);
  assert.deepEqual(parseSearchQuery('note:attention').words, ['note', 'attention']);
  assert.deepEqual(parseSearchQuery('"diffusion models').phrases, [['diffusion', 'models']]);
  assert.deepEqual(parseSearchQuery('Straße Über 東京 模型').words, ['straße', 'über', '東京', '模型']);
  assert.deepEqual(parseSearchQuery('a-b').words, ['a', 'b']);
});

test('input that cannot be searched gets a typed error saying why', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /type some words/],
    ['   ', /type some words/],
    ['!!! ??? ---', /no letters or digits/],
    ['-survey', /not only what to leave out/],
    ['after:yesterday transformers', /after: needs a date/],
    ['before:2025-02-30 x', /before: needs a date/],
    ['author: x', /author: needs a value/],
    ['after:2025-06-01 before:2025-01-01 x', /later than/],
    ['x'.repeat(501), /at most 500/],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseSearchQuery(input),
      (error: unknown) => error instanceof SearchQueryError && message.test(error.message),
      input,
    );
  }
});

/** Deterministic pseudo-random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

test('fuzzed input never throws anything but SearchQueryError', () => {
  const alphabet = [
    'a',
    'Z',
    '9',
    ' ',
    '"',
    '-',
    ':',
    '*',
    '(',
    ')',
    '^',
    '\\',
    "'",
    'é',
    '東',
    '\u0000',
    '\n',
    'author:',
    'cat:',
    'after:',
    'before:',
    'org:',
    '2025-01-01',
    'OR',
    'NEAR',
    '2411.12345',
    'http://',
    '{',
    '}',
  ];
  const next = random(20261125);
  for (let round = 0; round < 20_000; round++) {
    const length = Math.floor(next() * 40);
    let input = '';
    for (let i = 0; i < length; i++) input += alphabet[Math.floor(next() * alphabet.length)];
    try {
      const query = parseSearchQuery(input);
      for (const word of [...query.words, ...query.excluded, ...query.phrases.flat()]) {
        assert.match(word, /^[\p{L}\p{N}]+$/u, JSON.stringify(input));
      }
    } catch (error) {
      if (!(error instanceof SearchQueryError))
        throw new Error(`${JSON.stringify(input)} threw ${String(error)}`);
    }
  }
});
