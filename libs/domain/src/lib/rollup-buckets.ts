export type RollupBucketSize = '5m' | '1h';

const BUCKET_MS: Readonly<Record<RollupBucketSize, number>> = {
  '5m': 5 * 60_000,
  '1h': 60 * 60_000,
};

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

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
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
