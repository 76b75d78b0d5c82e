/** A site's wall clock at an instant: what load curves follow. */
export interface LocalClock {
  /** Local time of day in hours, 0 <= hour < 24 (8.5 is 08:30). */
  hour: number;
  /** 0 = Sunday .. 6 = Saturday. */
  weekday: number;
  /** 1 = 1 January .. 366. */
  dayOfYear: number;
  /** How far local time is ahead of UTC, in minutes (London in summer: 60; New York: -300 or -240). */
  offsetMinutes: number;
}

const WEEKDAYS: Readonly<Record<string, number>> = {
  Sun: 0,
  Mon: 1,
  Tue: 2,
  Wed: 3,
  Thu: 4,
  Fri: 5,
  Sat: 6,
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Formatters are costly to build; simulators ask for the same zone every tick. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      weekday: 'short',
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

/** The wall clock of `timeZone` at epoch milliseconds `ms`. Throws a RangeError for an unknown zone. */
export function localClockOf(ms: number, timeZone: string): LocalClock {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) fields[part.type] = part.value;
  const year = Number(fields['year']);
  const month = Number(fields['month']);
  const day = Number(fields['day']);
  const hour = Number(fields['hour']);
  const minute = Number(fields['minute']);
  const second = Number(fields['second']);
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const wholeSecondMs = Math.floor(ms / 1000) * 1000;
  return {
    hour: hour + minute / 60 + (second + (ms - wholeSecondMs) / 1000) / 3600,
    weekday: WEEKDAYS[fields['weekday']] ?? 0,
    dayOfYear: Math.round((Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86_400_000) + 1,
    offsetMinutes: Math.round((wallMs - wholeSecondMs) / 60_000),
  };
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * RFC 3339 with the zone's own offset, as a gateway in the field stamps its batches:
 * `2025-01-15T08:00:00.000+00:00`, `2025-07-01T09:30:00.000-04:00`.
 */
export function formatRfc3339(ms: number, timeZone: string): string {
  const { offsetMinutes } = localClockOf(ms, timeZone);
  const wall = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${wall}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
