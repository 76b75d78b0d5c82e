import { Weekday, type OperatingHours } from '@gridwatch/contracts';

export const WEEKDAYS: readonly { day: Weekday; label: string }[] = [
  { day: Weekday.Mon, label: 'Monday' },
  { day: Weekday.Tue, label: 'Tuesday' },
  { day: Weekday.Wed, label: 'Wednesday' },
  { day: Weekday.Thu, label: 'Thursday' },
  { day: Weekday.Fri, label: 'Friday' },
  { day: Weekday.Sat, label: 'Saturday' },
  { day: Weekday.Sun, label: 'Sunday' },
];

/** A day's two time fields as the form holds them: "" for empty. */
export type HoursFields = Record<Weekday, { open: string; close: string }>;

/**
 * The API's operating hours from the form: a day with both times empty is closed (left out); a
 * day with one time is sent as typed, for the API to say what is missing.
 */
export function operatingHoursFrom(fields: HoursFields): OperatingHours {
  const hours: OperatingHours = {};
  for (const { day } of WEEKDAYS) {
    const { open, close } = fields[day];
    if (open === '' && close === '') continue;
    hours[day] = { open, close };
  }
  return hours;
}

export function hoursFieldsOf(hours: OperatingHours): HoursFields {
  const fields = {} as HoursFields;
  for (const { day } of WEEKDAYS) {
    fields[day] = { open: hours[day]?.open ?? '', close: hours[day]?.close ?? '' };
  }
  return fields;
}

/** "Mon 08:00–18:00 · Sat 09:00–13:00", or "Closed every day". */
export function hoursSummary(hours: OperatingHours): string {
  const open = WEEKDAYS.flatMap(({ day, label }) => {
    const times = hours[day];
    return times ? [`${label.slice(0, 3)} ${times.open}–${times.close}`] : [];
  });
  return open.length === 0 ? 'Closed every day' : open.join(' · ');
}
