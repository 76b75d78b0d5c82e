import { DateTime, type Zone } from 'luxon';
import type { AnalyticsInterval } from '@gridwatch/contracts';

/** A local calendar period as epoch-millisecond instants, end exclusive. */
export interface LocalPeriod {
  start: number;
  end: number;
}

const MINUTE = 60_000;
const CALENDAR_UNITS = { day: 'day', week: 'week', month: 'month', year: 'year' } as const;
type CalendarInterval = keyof typeof CALENDAR_UNITS;

function isCalendarInterval(interval: AnalyticsInterval): interval is CalendarInterval {
  return interval in CALENDAR_UNITS;
}

function local(ms: number, timeZone: string): DateTime {
  return DateTime.fromMillis(ms, { zone: timeZone });
}

const zones = new Map<string, Zone>();

/** luxon's zone object, made once per name (its offsets are what luxon's DateTimes use). */
function zoneNamed(timeZone: string): Zone {
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = local(0, timeZone).zone;
    zones.set(timeZone, zone);
  }
  return zone;
}

/** The zone's UTC offset at an instant, milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  return zoneNamed(timeZone).offset(ms) * MINUTE;
}

/**
 * The instant of a local wall-clock time (given as if it were UTC): one offset look-up when no
 * transition is near, null when the time falls in a DST gap (the caller asks luxon then).
 */
function instantOfWall(wall: number, guess: number, timeZone: string): number | null {
  const first = wall - guess;
  const offset = offsetAt(first, timeZone);
  if (offset === guess) return first;
  const second = wall - offset;
  return offsetAt(second, timeZone) === offset ? second : null;
}

/**
 * Start of the local period containing an instant. Half-hours and hours are floored on the
 * instant (so the repeated hour of a DST fall-back stays two hours); days, weeks (Monday), months
 * and years start at local midnight, through luxon's zone rules.
 */
export function localPeriodStart(
  ms: number,
  timeZone: string,
  interval: AnalyticsInterval,
): number {
  const time = local(ms, timeZone);
  if (isCalendarInterval(interval)) return time.startOf(CALENDAR_UNITS[interval]).toMillis();
  const minutes = interval === '30m' ? time.minute % 30 : time.minute;
  return ms - minutes * MINUTE - time.second * 1000 - time.millisecond;
}

/** Start of the local period after the one starting at `start`. */
export function nextLocalPeriodStart(
  start: number,
  timeZone: string,
  interval: AnalyticsInterval,
): number {
  if (interval === '30m') return start + 30 * MINUTE;
  if (interval === 'hour') return localPeriodStart(start + 60 * MINUTE, timeZone, 'hour');
  // Calendar arithmetic on the wall clock, one offset look-up: luxon's plus/startOf take several
  // zone look-ups each, which made a year of days the slowest part of an analytics answer.
  const offset = offsetAt(start, timeZone);
  const wall = new Date(start + offset);
  const [year, month, day] = [wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate()];
  const next = {
    day: () => Date.UTC(year, month, day + 1),
    week: () => Date.UTC(year, month, day + 7),
    month: () => Date.UTC(year, month + 1, 1),
    year: () => Date.UTC(year + 1, 0, 1),
  }[interval]();
  const fast = instantOfWall(next, offset, timeZone);
  if (fast !== null) return fast;
  const unit = { day: 'days', week: 'weeks', month: 'months', year: 'years' } as const;
  return local(start, timeZone)
    .plus({ [unit[interval]]: 1 })
    .startOf(CALENDAR_UNITS[interval])
    .toMillis();
}

/** The whole local periods overlapping [from, to), in order. */
export function localPeriods(
  from: number,
  to: number,
  timeZone: string,
  interval: AnalyticsInterval,
): LocalPeriod[] {
  const periods: LocalPeriod[] = [];
  for (let start = localPeriodStart(from, timeZone, interval); start < to;) {
    const end = nextLocalPeriodStart(start, timeZone, interval);
    periods.push({ start, end });
    start = end;
  }
  return periods;
}

/** Index of the period containing an instant, or -1 (binary search over ordered periods). */
export function periodIndexOf(periods: readonly LocalPeriod[], ms: number): number {
  let low = 0;
  let high = periods.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (ms < periods[middle].start) high = middle - 1;
    else if (ms >= periods[middle].end) low = middle + 1;
    else return middle;
  }
  return -1;
}

/** The instant a local date ("YYYY-MM-DD") starts in a zone. */
export function localDateStart(localDate: string, timeZone: string): number {
  return DateTime.fromISO(localDate, { zone: timeZone }).startOf('day').toMillis();
}

/** Local date, ISO weekday (1 = Monday) and minute of the day of an instant. */
export function localClock(
  ms: number,
  timeZone: string,
): { date: string; weekday: number; minuteOfDay: number; hour: number } {
  const time = local(ms, timeZone);
  return {
    date: time.toISODate() ?? '',
    weekday: time.weekday,
    minuteOfDay: time.hour * 60 + time.minute,
    hour: time.hour,
  };
}

/** RFC 3339 of an instant with the zone's offset at that instant, e.g. 2026-03-29T00:00:00+00:00. */
export function localInstant(ms: number, timeZone: string): string {
  const zone = zoneNamed(timeZone);
  // luxon writes "Z" for its universal zone; every other zone gets a numeric offset.
  if (zone.isUniversal || !zone.isValid)
    return local(ms, timeZone).toISO({ suppressMilliseconds: true }) ?? new Date(ms).toISOString();
  const offset = zone.offset(ms);
  const wall = new Date(ms + offset * MINUTE).toISOString();
  const sign = offset < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${wall.slice(0, ms % 1000 === 0 ? 19 : 23)}${sign}${hours}:${minutes}`;
}

/**
 * The periods a comparison sets against `periods`: `previous` = as many local periods again,
 * ending where these start; `year` = each period's local edges one calendar year earlier.
 */
export function comparedPeriods(
  periods: readonly LocalPeriod[],
  timeZone: string,
  interval: AnalyticsInterval,
  compare: 'previous' | 'year',
): LocalPeriod[] {
  if (compare === 'year') {
    const yearEarlier = (ms: number) => local(ms, timeZone).minus({ years: 1 }).toMillis();
    return periods.map(({ start, end }) => ({ start: yearEarlier(start), end: yearEarlier(end) }));
  }
  const earlier: LocalPeriod[] = [];
  let end = periods[0]?.start ?? 0;
  for (let i = 0; i < periods.length; i++) {
    const start = localPeriodStart(end - 1, timeZone, interval);
    earlier.unshift({ start, end });
    end = start;
  }
  return earlier;
}

/** Scheduled reports go out at 07:00 site time: Mondays for weeks, the 1st for months. */
export const REPORT_HOUR = 7;

/**
 * The report period last due at `now`: the latest Monday (or 1st) 07:00 local at or before it,
 * and the whole local week (or month) before that day.
 */
export function lastDueReport(
  now: number,
  timeZone: string,
  period: 'week' | 'month',
): { dueAt: number; start: number; end: number } {
  let day = local(now, timeZone).startOf(period);
  if (day.plus({ hours: REPORT_HOUR }).toMillis() > now) day = day.minus({ [`${period}s`]: 1 });
  return {
    dueAt: day.plus({ hours: REPORT_HOUR }).toMillis(),
    start: day.minus({ [`${period}s`]: 1 }).toMillis(),
    end: day.toMillis(),
  };
}
