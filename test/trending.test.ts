import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_TRENDING, trendingScore } from '../src/domain/trending.ts';

const now = new Date('2026-11-25T12:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);

test('an upvote counts 1 now and halves every half-life', () => {
  const base = { listedAt: now, importedUpvotes: 0, starsGained: null };
  assert.equal(trendingScore({ ...base, voteTimes: [now] }, now), 1);
  assert.equal(trendingScore({ ...base, voteTimes: [hoursAgo(48)] }, now), 0.5);
  assert.equal(trendingScore({ ...base, voteTimes: [hoursAgo(96), hoursAgo(96)] }, now), 0.5);
  assert.equal(DEFAULT_TRENDING.halfLifeHours, 48);
});

test('imported upvotes count as cast at listing time', () => {
  const score = trendingScore(
    { listedAt: hoursAgo(48), importedUpvotes: 10, voteTimes: [], starsGained: null },
    now,
  );
  assert.equal(score, 5);
});

test('fresh votes beat a larger old pile; stars growth adds a damped bonus', () => {
  const old = trendingScore(
    { listedAt: hoursAgo(240), importedUpvotes: 100, voteTimes: [], starsGained: null },
    now,
  );
  const fresh = trendingScore(
    { listedAt: hoursAgo(6), importedUpvotes: 10, voteTimes: [], starsGained: null },
    now,
  );
  assert.ok(fresh > old, `${fresh} > ${old}`);
  const withStars = trendingScore(
    { listedAt: hoursAgo(6), importedUpvotes: 10, voteTimes: [], starsGained: 255 },
    now,
  );
  assert.equal(withStars - fresh, 8);
});
