import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MemberProfile, RecommendPaper, RecommendRequest } from '../src/domain/recommend/contract.ts';
import { recommend } from '../src/domain/recommend/recommend.ts';

const base = (id: string, overrides: Partial<RecommendPaper> = {}): RecommendPaper => ({
  id,
  title: `paper ${id} about sparse attention`,
  abstract: 'transformer attention sparse kernels for long context language modelling',
  authors: ['Some One'],
  organization: null,
  day: '2026-11-20',
  upvotes: 1,
  vector: null,
  ...overrides,
});

const emptyProfile: MemberProfile = {
  signals: [],
  followedAuthors: [],
  followedOrganizations: [],
  topics: [],
};

/** Every result is a candidate, once, with a finite score and at least one reason. */
function assertSane(request: RecommendRequest): void {
  const result = recommend(request);
  const ids = new Set(request.candidates.map((c) => c.id));
  assert.equal(new Set(result.map((r) => r.id)).size, result.length, 'no id twice');
  for (const r of result) {
    assert.ok(ids.has(r.id), `${r.id} is a candidate`);
    assert.ok(Number.isFinite(r.score), `${r.id} has a finite score (${r.score})`);
    assert.ok(r.reasons.length > 0, `${r.id} has a reason`);
  }
}

const liked = (p: RecommendPaper) => ({ paper: p, kind: 'upvote' as const, at: '2026-11-01T00:00:00Z' });

const cases: { name: string; request: RecommendRequest }[] = [
  {
    name: 'empty strings everywhere',
    request: {
      profile: {
        signals: [liked(base('s', { title: '', abstract: '', authors: [''], organization: '' }))],
        followedAuthors: [''],
        followedOrganizations: [''],
        topics: [{ id: '', label: '', matches: new Set(['']) }],
      },
      candidates: [base('', { title: '' }), base('c', { title: '', abstract: '', authors: [] })],
      background: [base('b', { title: '', abstract: '' })],
      limit: 10,
    },
  },
  {
    name: 'a huge author list',
    request: {
      profile: {
        ...emptyProfile,
        signals: [liked(base('s', { authors: Array.from({ length: 20_000 }, (_, k) => `Author ${k}`) }))],
        followedAuthors: Array.from({ length: 5_000 }, (_, k) => `Author ${k * 3}`),
      },
      candidates: [
        base('c1', { authors: Array.from({ length: 20_000 }, (_, k) => `Author ${k}`) }),
        base('c2', { authors: ['Author 3'] }),
      ],
      background: [base('b')],
      limit: 10,
    },
  },
  {
    name: 'NaN, infinite, empty and mismatched vectors',
    request: {
      profile: {
        ...emptyProfile,
        signals: [
          liked(base('s1', { vector: Float32Array.from([Number.NaN, 1, 0]) })),
          liked(base('s2', { vector: Float32Array.from([1, 0, 0]) })),
        ],
      },
      candidates: [
        base('c1', { vector: Float32Array.from([Number.POSITIVE_INFINITY, 0, 0]) }),
        base('c2', { vector: new Float32Array(0) }),
        base('c3', { vector: Float32Array.from([0, 0, 0]) }),
        base('c4', { vector: Float32Array.from([1, 2]) }),
        base('c5', { vector: Float32Array.from([0.5, 0.5, 0]) }),
      ],
      background: [base('b', { vector: Float32Array.from([0, 1, 0]) })],
      limit: 10,
    },
  },
  {
    name: 'duplicate ids in candidates, signals and background',
    request: {
      profile: { ...emptyProfile, signals: [liked(base('s')), liked(base('s')), liked(base('c1'))] },
      candidates: [base('c1'), base('c2'), base('c2'), base('c3'), base('c3')],
      background: [base('b'), base('b'), base('c2'), base('s')],
      limit: 10,
    },
  },
  {
    name: 'NaN and negative upvotes, missing days, odd signal times',
    request: {
      profile: emptyProfile,
      candidates: [
        base('c1', { upvotes: Number.NaN, day: null }),
        base('c2', { upvotes: -5 }),
        base('c3', { upvotes: Number.POSITIVE_INFINITY }),
      ],
      background: [],
      limit: 10,
    },
  },
  {
    name: 'only "not interested" signals and no background',
    request: {
      profile: {
        ...emptyProfile,
        signals: [{ paper: base('n'), kind: 'not-interested', at: 'not a time' }],
      },
      candidates: [base('c1'), base('c2')],
      background: [],
      limit: 5,
    },
  },
  {
    name: 'no candidates',
    request: {
      profile: { ...emptyProfile, signals: [liked(base('s'))] },
      candidates: [],
      background: [],
      limit: 5,
    },
  },
  {
    name: 'one positive and no negatives at all',
    request: {
      profile: { ...emptyProfile, signals: [liked(base('s'))] },
      candidates: [base('c')],
      background: [],
      limit: 5,
    },
  },
  {
    name: 'control characters, non-Latin scripts and a very long abstract',
    request: {
      profile: {
        ...emptyProfile,
        signals: [liked(base('s', { title: '\u0000\u0007 注意力 機構', abstract: 'ß'.repeat(50) }))],
      },
      candidates: [
        base('c', { abstract: 'attention '.repeat(100_000) }),
        base('d', { title: '\uD800 lone surrogate' }),
      ],
      background: [base('b')],
      limit: 5,
    },
  },
];

for (const { name, request } of cases) {
  test(`hostile input: ${name}`, () => assertSane(request));
}

test('hostile input: duplicate candidates keep their first copy and a signalled candidate is left out', () => {
  const result = recommend(cases[3]?.request as RecommendRequest);
  assert.deepEqual(result.map((r) => r.id).sort(), ['c2', 'c3']);
});

test('hostile input: upvotes that are not finite numbers count as none in cold start', () => {
  const result = recommend(cases[4]?.request as RecommendRequest);
  assert.deepEqual(
    result.map((r) => r.id),
    ['c3', 'c1', 'c2'],
  );
});
