import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  MemberProfile,
  PaperSignal,
  Recommendation,
  RecommendPaper,
  RecommendRequest,
} from '../src/domain/recommend/contract.ts';
import { recommend } from '../src/domain/recommend/recommend.ts';

// Three fields with their own words; a paper's text draws from one of them, so topics are learnable.
const FIELDS = {
  graphs: 'graph neural network message passing node classification edge molecular graphs link prediction',
  speech: 'speech recognition acoustic model spoken language audio transcription phoneme speaker diarization',
  robots: 'robot manipulation grasping policy learning reinforcement control locomotion sim2real trajectory',
};
type Field = keyof typeof FIELDS;

/** A deterministic pseudo-random choice of the field's words (and a few shared ones). */
function textOf(field: Field, seed: number, words = 40): string {
  const vocabulary = `${FIELDS[field]} results benchmark dataset training evaluation state art`.split(' ');
  let state = seed >>> 0;
  const out: string[] = [];
  for (let k = 0; k < words; k++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out.push(vocabulary[state % vocabulary.length] as string);
  }
  return out.join(' ');
}

function paper(id: string, field: Field, overrides: Partial<RecommendPaper> = {}): RecommendPaper {
  const seed = [...id].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
  return {
    id,
    title: textOf(field, seed, 8),
    abstract: textOf(field, seed + 1),
    authors: [`Author ${id}`],
    organization: null,
    day: '2026-11-20',
    upvotes: 0,
    vector: null,
    ...overrides,
  };
}

const profile = (overrides: Partial<MemberProfile> = {}): MemberProfile => ({
  signals: [],
  followedAuthors: [],
  followedOrganizations: [],
  topics: [],
  ...overrides,
});

const upvote = (p: RecommendPaper, at = '2026-11-01T00:00:00Z'): PaperSignal => ({
  paper: p,
  kind: 'upvote',
  at,
});

const background = (['graphs', 'speech', 'robots'] as const).flatMap((field) =>
  Array.from({ length: 20 }, (_, k) => paper(`bg-${field}-${k}`, field)),
);

const candidates = (['graphs', 'speech', 'robots'] as const).flatMap((field) =>
  Array.from({ length: 5 }, (_, k) => paper(`c-${field}-${k}`, field)),
);

function ranked(request: Partial<RecommendRequest> & { profile: MemberProfile }): Recommendation[] {
  return recommend({ candidates, background, limit: 100, ...request });
}

const fieldOf = (id: string) => id.split('-')[1];
const meanRank = (result: Recommendation[], field: string) =>
  result.reduce((sum, r, k) => sum + (fieldOf(r.id) === field ? k : 0), 0) /
  result.filter((r) => fieldOf(r.id) === field).length;

test('papers of the field a member upvotes come first', () => {
  const liked = Array.from({ length: 4 }, (_, k) => paper(`liked-${k}`, 'speech'));
  const result = ranked({ profile: profile({ signals: liked.map((p) => upvote(p)) }) });
  assert.equal(result.length, candidates.length);
  assert.deepEqual(
    result.slice(0, 3).map((r) => fieldOf(r.id)),
    ['speech', 'speech', 'speech'],
  );
  assert.ok(meanRank(result, 'speech') < Math.min(meanRank(result, 'graphs'), meanRank(result, 'robots')));
  for (let k = 1; k < result.length; k++) assert.ok((result[k - 1]?.score ?? 0) >= (result[k]?.score ?? 0));
});

test('each recommendation names the liked paper most like it', () => {
  const likedSpeech = paper('liked-speech', 'speech');
  const likedRobots = paper('liked-robots', 'robots');
  const result = ranked({
    profile: profile({
      signals: [
        upvote(likedSpeech),
        { paper: likedRobots, kind: 'save', tags: ['robots'], at: '2026-11-02' },
      ],
    }),
  });
  for (const r of result.filter((r) => ['speech', 'robots'].includes(fieldOf(r.id) ?? ''))) {
    const similar = r.reasons.find((reason) => reason.kind === 'similar');
    assert.ok(similar && similar.kind === 'similar', `${r.id} has a similar reason`);
    const expected = fieldOf(r.id) === 'speech' ? likedSpeech : likedRobots;
    assert.equal(similar.paperId, expected.id, r.id);
    assert.equal(similar.title, expected.title);
    assert.equal(similar.signal, expected === likedRobots ? 'save' : 'upvote');
  }
});

test('a co-author of liked papers lifts a paper of another field', () => {
  const liked = Array.from({ length: 4 }, (_, k) =>
    paper(`liked-${k}`, 'graphs', { authors: ['Ada Circle', `Other ${k}`] }),
  );
  const byCoauthor = paper('c-robots-coauthor', 'robots', { authors: ['Ada Circle'] });
  const plain = paper('c-robots-plain', 'robots', {
    authors: ['Nobody Known'],
    title: byCoauthor.title,
    abstract: byCoauthor.abstract,
  });
  const result = ranked({
    profile: profile({ signals: liked.map((p) => upvote(p)) }),
    candidates: [...candidates, plain, byCoauthor],
  });
  const position = (id: string) => result.findIndex((r) => r.id === id);
  assert.ok(
    position(byCoauthor.id) < position(plain.id),
    `${position(byCoauthor.id)} < ${position(plain.id)}`,
  );
});

test('"not interested" pushes down what resembles it', () => {
  const liked = [paper('liked-g', 'graphs'), paper('liked-s', 'speech'), paper('liked-s2', 'speech')];
  const without = ranked({ profile: profile({ signals: liked.map((p) => upvote(p)) }) });
  const disliked = Array.from({ length: 6 }, (_, k) => paper(`nope-${k}`, 'speech'));
  const withNope = ranked({
    profile: profile({
      signals: [
        ...liked.map((p) => upvote(p)),
        ...disliked.map((p) => ({ paper: p, kind: 'not-interested' as const, at: '2026-11-03' })),
      ],
    }),
  });
  const meanScore = (result: Recommendation[], field: string) =>
    result.filter((r) => fieldOf(r.id) === field).reduce((sum, r) => sum + r.score, 0) / 5;
  const lead = (result: Recommendation[]) => meanScore(result, 'speech') - meanScore(result, 'graphs');
  assert.ok(lead(without) > 0, 'speech, liked twice, first');
  assert.ok(
    lead(withNope) < lead(without),
    `speech falls back once dismissed: ${lead(withNope)} < ${lead(without)}`,
  );
});

test('the latest signal on a paper wins, and signalled papers are not recommended', () => {
  const target = candidates[0] as RecommendPaper;
  const liked = [1, 2, 3].map((k) => paper(`liked-r${k}`, 'robots'));
  const result = ranked({
    profile: profile({
      signals: [
        ...liked.map((p) => upvote(p)),
        upvote(target, '2026-11-01T00:00:00Z'),
        { paper: target, kind: 'not-interested', at: '2026-11-05T00:00:00Z' },
      ],
    }),
  });
  assert.equal(
    result.find((r) => r.id === target.id),
    undefined,
  );
  assert.equal(result.length, candidates.length - 1);
  assert.ok(result.slice(0, 3).every((r) => fieldOf(r.id) === 'robots'));
});

test('new upvotes change the ranking at once', () => {
  const first = ranked({ profile: profile({ signals: [upvote(paper('liked-g', 'graphs'))] }) });
  const second = ranked({
    profile: profile({
      signals: [
        upvote(paper('liked-g', 'graphs')),
        ...[1, 2, 3, 4, 5, 6].map((k) => upvote(paper(`liked-r${k}`, 'robots'))),
      ],
    }),
  });
  assert.ok(meanRank(first, 'graphs') < meanRank(first, 'robots'));
  assert.ok(meanRank(second, 'robots') < meanRank(second, 'graphs'));
});

test('follows: authors, organizations and topics come first with their reasons', () => {
  const byFollowed = paper('c-speech-followed', 'speech', { authors: ['Zoë Ångström', 'X Y'] });
  const byOrg = paper('c-robots-org', 'robots', { organization: 'Deep Lab' });
  const result = ranked({
    profile: profile({
      followedAuthors: ['zoe angstrom'],
      followedOrganizations: ['Deep Lab'],
      topics: [{ id: 't1', label: 'graphs please', matches: new Set(['c-graphs-3']) }],
    }),
    candidates: [...candidates, byFollowed, byOrg],
  });
  const top = result.slice(0, 3);
  assert.deepEqual(new Set(top.map((r) => r.id)), new Set([byFollowed.id, byOrg.id, 'c-graphs-3']));
  const reasonsOf = (id: string) => result.find((r) => r.id === id)?.reasons;
  assert.deepEqual(reasonsOf(byFollowed.id), [{ kind: 'author', name: 'zoe angstrom' }]);
  assert.deepEqual(reasonsOf(byOrg.id), [{ kind: 'organization', name: 'Deep Lab' }]);
  assert.deepEqual(reasonsOf('c-graphs-3'), [{ kind: 'topic', label: 'graphs please' }]);
  assert.deepEqual(reasonsOf('c-speech-0'), [{ kind: 'popular' }]);
});

test('cold start: the most upvoted, then the newest, each for being popular', () => {
  const pool = [
    paper('a', 'graphs', { upvotes: 3, day: '2026-11-01' }),
    paper('b', 'speech', { upvotes: 10, day: '2026-11-01' }),
    paper('c', 'robots', { upvotes: 3, day: '2026-11-04' }),
    paper('d', 'robots', { upvotes: 0, day: null }),
  ];
  const result = recommend({ profile: profile(), candidates: pool, background, limit: 10 });
  assert.deepEqual(
    result.map((r) => r.id),
    ['b', 'c', 'a', 'd'],
  );
  for (const r of result) assert.deepEqual(r.reasons, [{ kind: 'popular' }]);
});

test('limits: none, negative or not a number give nothing; a large one gives every candidate once', () => {
  const request = {
    profile: profile({ signals: [upvote(paper('liked', 'graphs'))] }),
    candidates,
    background,
  };
  assert.deepEqual(recommend({ ...request, limit: 0 }), []);
  assert.deepEqual(recommend({ ...request, limit: -3 }), []);
  assert.deepEqual(recommend({ ...request, limit: Number.NaN }), []);
  assert.equal(recommend({ ...request, limit: 2.7 }).length, 2);
  const all = recommend({ ...request, limit: Number.POSITIVE_INFINITY });
  assert.equal(all.length, candidates.length);
  assert.equal(new Set(all.map((r) => r.id)).size, candidates.length);
});

test('the same request gives the same answer', () => {
  const request = {
    profile: profile({ signals: [upvote(paper('liked', 'graphs')), upvote(paper('liked2', 'speech'))] }),
    candidates,
    background,
    limit: 100,
  };
  assert.deepEqual(recommend(request), recommend(request));
});

test('vectors count when the papers have them', () => {
  // Same words everywhere; only the vectors tell the fields apart.
  const text = { title: 'a study', abstract: 'we study things' };
  const unit = (d: number) => Float32Array.from({ length: 8 }, (_, k) => (k === d ? 1 : 0.05));
  const withVector = (id: string, d: number) =>
    paper(id, 'graphs', { ...text, authors: [], vector: unit(d) });
  const result = recommend({
    profile: profile({ signals: [upvote(withVector('liked', 2)), upvote(withVector('liked2', 2))] }),
    candidates: [withVector('far', 5), withVector('near', 2), withVector('far2', 6)],
    background: Array.from({ length: 10 }, (_, k) => withVector(`bg${k}`, k % 8)),
    limit: 3,
  });
  assert.equal(result[0]?.id, 'near');
});
