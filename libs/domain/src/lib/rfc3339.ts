import { isValidCalendarDate, utcMillis } from './calendar';

const RFC3339_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an RFC 3339 date-time, which always carries Z or a numeric offset; a local time without
 * one is refused (null), as is any impossible field. Fractions beyond milliseconds are truncated.
 */
export function parseRfc3339Timestamp(text: string): Date | null {
  // A gateway's batch repeats one instant for all its meters: the last answer is kept.
  if (text === last.text) return last.ms === null ? null : new Date(last.ms);
  const parsed = parse(text);
  last = { text, ms: parsed?.getTime() ?? null };
  return parsed;
}

let last: { text: string | null; ms: number | null } = { text: null, ms: null };

function parse(text: string): Date | null {
  const match = RFC3339_DATE_TIME.exec(text);
  if (!match) {
    return null;
  }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const [, , , , , , , fraction = '', sign, offsetHours = '0', offsetMinutes = '0'] = match;
  if (!isValidCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 60) {
    return null;
  }
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) {
    return null;
  }
  const millisecond = Number(fraction.padEnd(3, '0').slice(0, 3));
  const offsetMs = (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
  const wallMs = utcMillis(year, month, day, hour, minute, second, millisecond);
  return new Date(sign === '-' ? wallMs + offsetMs : wallMs - offsetMs);
}
