/**
 * Digest periods. Each digest belongs to one period, and a subscriber gets at most one digest per period:
 *
 * - daily:2026-11-24 — sent on weekdays (like the arXiv and Hugging Face lists); covers the listing days since
 *   the previous weekday's digest: Tuesday to Friday the day before, Monday Friday to Sunday.
 * - weekly:2026-W48 — sent in the week after; covers that ISO week, Monday to Sunday.
 *
 * Times of day are wall-clock times in a configured IANA time zone.
 */
import { addDays, type DayWindow, isoWeekOf, isValidDay, parseIsoWeek } from './dates.ts';
import type { DigestFrequency } from './subscription.ts';
import { succeeds } from './succeeds.ts';

export interface DigestPeriod {
  frequency: DigestFrequency;
  /** "daily:2026-11-24" or "weekly:2026-W48": the key of the send log. */
  key: string;
  /** Listing days whose papers the digest draws from. */
  window: DayWindow;
  /** For headings: "Tue, Nov 24" style formatting is the renderer's job; this is the raw label. */
  label: string;
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export function isWeekday(day: string): boolean {
  return weekdayOf(day) < 5;
}

/** The period a digest sent on `day` (local date in the digest time zone) belongs to. */
export function digestPeriod(frequency: DigestFrequency, day: string): DigestPeriod {
  if (!isValidDay(day)) throw new RangeError(`not a day: ${day}`);
  if (frequency === 'daily') {
    const back = weekdayOf(day) === 0 ? 3 : weekdayOf(day) === 6 ? 2 : 1;
    return {
      frequency,
      key: `daily:${day}`,
      window: { fromDay: addDays(day, -back), toDay: addDays(day, -1) },
      label: day,
    };
  }
  const week = isoWeekOf(addDays(day, -7)).label;
  const window = parseIsoWeek(week) as DayWindow;
  return { frequency, key: `weekly:${week}`, window, label: week };
}

/** Parses a period key back ("daily:2026-11-24", "weekly:2026-W48"); null when it is not one. */
export function parsePeriodKey(key: string): DigestPeriod | null {
  const daily = /^daily:(\d{4}-\d{2}-\d{2})$/.exec(key);
  if (daily?.[1] && isValidDay(daily[1])) return digestPeriod('daily', daily[1]);
  const weekly = /^weekly:(\d{4}-W\d{2})$/.exec(key);
  if (weekly?.[1]) {
    const window = parseIsoWeek(weekly[1]);
    if (window) return { frequency: 'weekly', key, window, label: weekly[1] };
  }
  return null;
}

/** Whether a digest of this frequency goes out on this local day: daily on weekdays, weekly on Mondays. */
export function isSendDay(frequency: DigestFrequency, day: string): boolean {
  return frequency === 'daily' ? isWeekday(day) : weekdayOf(day) === 0;
}

// ---- Wall-clock time in a time zone (pure computation with Intl) ----

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  return succeeds(() => formatterFor(timeZone));
}

interface WallClock {
  day: string;
  hour: number;
  minute: number;
  second: number;
}

export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The local calendar day of an instant in a time zone. */
export function localDay(instant: Date, timeZone: string): string {
  return wallClock(instant, timeZone).day;
}

function offsetMs(instant: number, timeZone: string): number {
  const clock = wallClock(new Date(instant), timeZone);
  const asUtc = Date.parse(
    `${clock.day}T${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}:${String(clock.second).padStart(2, '0')}Z`,
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a local day and time ("08:00") happen in a time zone (in a DST gap: the hour after). */
export function zonedTime(day: string, time: string, timeZone: string): Date {
  const guess = Date.parse(`${day}T${time}:00Z`);
  let instant = guess - offsetMs(guess, timeZone);
  instant = guess - offsetMs(instant, timeZone);
  return new Date(instant);
}

export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The next instant strictly after `now` at `time` local time. */
export function nextTimeOfDay(now: Date, time: string, timeZone: string): Date {
  const today = localDay(now, timeZone);
  for (let days = 0; days < 3; days++) {
    const at = zonedTime(addDays(today, days), time, timeZone);
    if (at.getTime() > now.getTime()) return at;
  }
  throw new Error('unreachable: a time of day always comes within two days');
}

/** When the next digests go out: `time` on the next weekday (none go out on Saturdays and Sundays). */
export function nextDigestTime(now: Date, time: string, timeZone: string): Date {
  const today = localDay(now, timeZone);
  for (let days = 0; days < 4; days++) {
    const day = addDays(today, days);
    const at = zonedTime(day, time, timeZone);
    if (isSendDay('daily', day) && at.getTime() > now.getTime()) return at;
  }
  throw new Error('unreachable: a weekday always comes within three days');
}

/**
 * The digests whose time has come at `at`: today's daily one on a weekday once `time` has passed, and the weekly
 * one from Monday's `time` on (until the next Monday it is the same week's, so catching up never sends another).
 * `day` is what digestPeriod takes.
 */
export function digestsDue(
  at: Date,
  time: string,
  timeZone: string,
): Array<{ frequency: DigestFrequency; day: string }> {
  const day = localDay(at, timeZone);
  const due: Array<{ frequency: DigestFrequency; day: string }> = [];
  if (isSendDay('daily', day) && at.getTime() >= zonedTime(day, time, timeZone).getTime())
    due.push({ frequency: 'daily', day });
  const monday = addDays(day, -weekdayOf(day));
  if (at.getTime() >= zonedTime(monday, time, timeZone).getTime())
    due.push({ frequency: 'weekly', day: monday });
  return due;
}
