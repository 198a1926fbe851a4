import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addMonths,
  addWeeks,
  isoWeekOf,
  isValidDay,
  listingDayOf,
  parseIsoWeek,
  parseMonth,
} from '../src/domain/dates.ts';

test('days are validated as real calendar days', () => {
  assert.ok(isValidDay('2024-02-29'));
  for (const bad of ['2023-02-29', '2026-13-01', '2026-1-1', '20261101', "2026-11-01' OR 1=1", '']) {
    assert.ok(!isValidDay(bad), bad);
  }
});

test('listing days follow America/New_York', () => {
  assert.equal(listingDayOf(new Date('2026-11-25T03:00:00Z')), '2026-11-24');
  assert.equal(listingDayOf(new Date('2026-11-25T06:00:00Z')), '2026-11-25');
});

test('ISO weeks: parse, label, edges of the year', () => {
  assert.deepEqual(parseIsoWeek('2026-W48'), { fromDay: '2026-11-23', toDay: '2026-11-29' });
  assert.deepEqual(parseIsoWeek('2026-W01'), { fromDay: '2025-12-29', toDay: '2026-01-04' });
  assert.deepEqual(parseIsoWeek('2020-W53'), { fromDay: '2020-12-28', toDay: '2021-01-03' });
  assert.equal(parseIsoWeek('2025-W53'), null, '2025 has 52 weeks');
  assert.deepEqual(parseIsoWeek('2026-W53'), { fromDay: '2026-12-28', toDay: '2027-01-03' }, '2026 has 53');
  assert.equal(parseIsoWeek('2026-W00'), null);
  assert.equal(parseIsoWeek('2026-48'), null);
  assert.equal(isoWeekOf('2026-11-25').label, '2026-W48');
  assert.equal(isoWeekOf('2021-01-01').label, '2020-W53');
  assert.equal(isoWeekOf('2024-12-30').label, '2025-W01');
  assert.equal(addWeeks('2026-W53', 1), '2027-W01');
  assert.equal(addWeeks('2026-W01', -1), '2025-W52');
});

test('months', () => {
  assert.deepEqual(parseMonth('2024-02'), { fromDay: '2024-02-01', toDay: '2024-02-29' });
  assert.deepEqual(parseMonth('2026-12'), { fromDay: '2026-12-01', toDay: '2026-12-31' });
  assert.equal(parseMonth('2026-13'), null);
  assert.equal(addMonths('2026-12', 1), '2027-01');
  assert.equal(addMonths('2026-01', -1), '2025-12');
});
