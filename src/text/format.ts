const dayFormat = new Intl.DateTimeFormat('en-US', {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});
const shortFormat = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});
const monthFormat = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const count = new Intl.NumberFormat('en-US');

/** "Tue, Nov 24, 2026" */
export function formatDay(day: string): string {
  return dayFormat.format(new Date(`${day}T00:00:00Z`));
}

/** "Nov 24, 2026" from a day or an ISO timestamp. */
/** Days formatted lately: cards show the same few listing days over and over. */
const formattedDays = new Map<string, string>();
const MAX_FORMATTED_DAYS = 1_000;

export function formatDate(value: string): string {
  const known = formattedDays.get(value);
  if (known !== undefined) return known;
  const time = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  const formatted = Number.isNaN(time) ? value : shortFormat.format(new Date(time));
  if (value.length === 10) {
    if (formattedDays.size >= MAX_FORMATTED_DAYS) formattedDays.clear();
    formattedDays.set(value, formatted);
  }
  return formatted;
}

/** "November 2026" */
export function formatMonth(month: string): string {
  return monthFormat.format(new Date(`${month}-01T00:00:00Z`));
}

export function formatCount(value: number): string {
  // Below a thousand an integer has no separator to place: skip Intl, which costs a microsecond a call.
  return Number.isInteger(value) && value > -1000 && value < 1000 ? String(value) : count.format(value);
}

export function plural(value: number, noun: string): string {
  return `${formatCount(value)} ${noun}${value === 1 ? '' : 's'}`;
}
