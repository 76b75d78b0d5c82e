import { isValidCalendarDate, utcMillis } from './calendar';

export type RollupBucketSize = '5m' | '1h';

const BUCKET_MS: Readonly<Record<RollupBucketSize, number>> = {
  '5m': 5 * 60_000,
  '1h': 60 * 60_000,
};

const DAY_MS = 24 * 60 * 60_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Start of the UTC-aligned 5-minute or 1-hour bucket holding `ts`. */
export function bucketStart(ts: Date, size: RollupBucketSize): Date {
  const ms = validTime(ts);
  const width = BUCKET_MS[size];
  return new Date(Math.floor(ms / width) * width);
}

/** The calendar date (YYYY-MM-DD) that a clock in `timeZone` shows at the instant `ts`. */
export function localDate(ts: Date, timeZone: string): string {
  const wall = wallClockOf(validTime(ts), timeZone);
  return isoDate(wall.year, wall.month, wall.day);
}

/**
 * The instants at which local day `date` starts and the next one starts in `timeZone`: 24 hours
 * apart, or 23 / 25 on a daylight-saving change. Where midnight is skipped the day starts at the
 * end of the gap. Throws a RangeError for a malformed date, an unknown zone, or a day the zone
 * skipped entirely.
 */
export function localDayBounds(date: string, timeZone: string): { start: Date; end: Date } {
  const day = parseIsoDate(date);
  const start = startOfLocalDay(day, timeZone);
  if (!start) {
    throw new RangeError(`${date} does not occur in ${timeZone}`);
  }
  // The next day may itself have been skipped (Samoa crossed the date line in 2011).
  const end =
    startOfLocalDay(dayAfter(day, 1), timeZone) ?? startOfLocalDay(dayAfter(day, 2), timeZone);
  if (!end) {
    throw new RangeError(`the day after ${date} does not occur in ${timeZone}`);
  }
  return { start, end };
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

interface WallClock extends CalendarDay {
  hour: number;
  minute: number;
  second: number;
}

function startOfLocalDay(day: CalendarDay, timeZone: string): Date | null {
  const midnightWall = utcMillis(day.year, day.month, day.day);
  const date = isoDate(day.year, day.month, day.day);
  // Local midnight is midnightWall minus the offset in force then; a change of offset near
  // midnight means it is one of the offsets in force a day either side.
  const offsets = [midnightWall - DAY_MS, midnightWall, midnightWall + DAY_MS].map((ms) =>
    offsetAt(ms, timeZone),
  );
  const starts = offsets
    .map((offset) => midnightWall - offset)
    .filter((ms) => localDate(new Date(ms), timeZone) === date);
  return starts.length > 0 ? new Date(Math.min(...starts)) : null;
}

function dayAfter(day: CalendarDay, days: number): CalendarDay {
  const next = new Date(utcMillis(day.year, day.month, day.day + days));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/** How far the zone's clocks are ahead of UTC at `ms`, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  const wall = wallClockOf(ms, timeZone);
  const wallMs = utcMillis(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second);
  return wallMs - Math.floor(ms / 1000) * 1000;
}

function wallClockOf(ms: number, timeZone: string): WallClock {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    fields[part.type] = Number(part.value);
  }
  return {
    year: fields['year'],
    month: fields['month'],
    day: fields['day'],
    hour: fields['hour'],
    minute: fields['minute'],
    second: fields['second'],
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Formatters are costly to build and rollups ask for the same few zones again and again. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function parseIsoDate(date: string): CalendarDay {
  const match = ISO_DATE.exec(date);
  const [year, month, day] = (match?.slice(1) ?? []).map(Number);
  if (!match || !isValidCalendarDate(year, month, day)) {
    throw new RangeError(`"${date}" is not a YYYY-MM-DD date`);
  }
  return { year, month, day };
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function validTime(ts: Date): number {
  const ms = ts.getTime();
  if (Number.isNaN(ms)) {
    throw new RangeError('invalid date');
  }
  return ms;
}
