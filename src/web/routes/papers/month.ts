/** `/papers/month?month=` and `/papers/month/:month`: a month's papers by upvotes. */
import { monthOf, parseMonth } from '../../../domain/dates.ts';
import { formatMonth } from '../../../text/format.ts';
import { type PeriodKind, periodFromQuery, periodPage } from './period-page.ts';

const MONTH: PeriodKind = {
  period: 'month',
  parse: parseMonth,
  of: monthOf,
  label: formatMonth,
  problem: (month) => `“${month}” is not a month: use YYYY-MM, e.g. 2026-11.`,
  heading: 'Monthly Papers',
  feedTitle: 'Monthly papers',
  empty: 'No papers were listed this month.',
};

export const month = periodPage(MONTH, (month) => `${formatMonth(month)}, by upvotes`);

export const monthFromQuery = periodFromQuery(MONTH);
