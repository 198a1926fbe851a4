/** Calendar-day helpers on 'YYYY-MM-DD' strings; listing days follow America/New_York like arXiv and the anchor. */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEK = /^(\d{4})-W(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isValidDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const newYorkDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The America/New_York calendar day of an instant. */
export function listingDayOf(instant: Date): string {
  return newYorkDay.format(instant);
}

function toDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function addDays(day: string, days: number): string {
  return toDay(dayMs(day) + days * DAY_MS);
}

/** An inclusive range of listing days. */
export interface DayWindow {
  fromDay: string;
  toDay: string;
}

/** Monday of ISO week 1: the week with the year's first Thursday. */
function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  return jan4 - weekday * DAY_MS;
}

/** "2026-W48" → Monday to Sunday of that ISO week, or null when it is not a real week. */
export function parseIsoWeek(value: string): DayWindow | null {
  const match = WEEK.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  const week = Number(match[2]);
  const weeksInYear = isoWeekOf(toDay(Date.UTC(year, 11, 28))).week;
  if (week < 1 || week > weeksInYear) return null;
  const monday = isoWeekOneMonday(year) + (week - 1) * 7 * DAY_MS;
  return { fromDay: toDay(monday), toDay: toDay(monday + 6 * DAY_MS) };
}

/** The ISO week a day falls in. */
export function isoWeekOf(day: string): { year: number; week: number; label: string } {
  const ms = dayMs(day);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  const thursday = ms + (3 - weekday) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - isoWeekOneMonday(year)) / (7 * DAY_MS)) + 1;
  return { year, week, label: `${year}-W${String(week).padStart(2, '0')}` };
}

/** "2026-11" → its first and last day, or null when it is not a real month. */
export function parseMonth(value: string): DayWindow | null {
  const match = MONTH.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  return { fromDay: toDay(Date.UTC(year, month - 1, 1)), toDay: toDay(Date.UTC(year, month, 0)) };
}

export function monthOf(day: string): string {
  return day.slice(0, 7);
}

export function addWeeks(week: string, weeks: number): string | null {
  const window = parseIsoWeek(week);
  return window ? isoWeekOf(addDays(window.fromDay, weeks * 7)).label : null;
}

export function addMonths(month: string, months: number): string | null {
  const match = MONTH.exec(month);
  if (!match) return null;
  return toDay(Date.UTC(Number(match[1]), Number(match[2]) - 1 + months, 1)).slice(0, 7);
}
