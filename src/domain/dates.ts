/** Calendar-day helpers on 'YYYY-MM-DD' strings; listing days follow America/New_York like arXiv and the anchor. */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
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
