/** `/papers/week?week=` and `/papers/week/:week`: an ISO week's papers by upvotes. */
import { isoWeekOf, parseIsoWeek } from '../../../domain/dates.ts';
import { formatDay } from '../../../text/format.ts';
import { type PeriodKind, periodFromQuery, periodPage } from './period-page.ts';

const WEEK: PeriodKind = {
  period: 'week',
  parse: parseIsoWeek,
  of: (day) => isoWeekOf(day).label,
  label: (week) => week,
  problem: (week) => `“${week}” is not a week: use YYYY-Www, e.g. 2026-W48.`,
  heading: 'Weekly Papers',
  feedTitle: 'Weekly papers',
  empty: 'No papers were listed this week.',
};

export const week = periodPage(
  WEEK,
  (week, window) =>
    `Week ${week.slice(6)} of ${week.slice(0, 4)} · ${formatDay(window.fromDay)} to ${formatDay(window.toDay)}`,
);

export const weekFromQuery = periodFromQuery(WEEK);
