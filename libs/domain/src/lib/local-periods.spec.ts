import { DateTime } from 'luxon';
import {
  comparedPeriods,
  lastDueReport,
  localClock,
  localDateStart,
  localInstant,
  localPeriods,
  periodIndexOf,
} from './local-periods';

const at = (iso: string) => Date.parse(iso);
const hours = (period: { start: number; end: number }) => (period.end - period.start) / 3_600_000;

describe('local periods', () => {
  it.each([
    ['Europe/London', '2026-03-29', 23, '2026-03-29T00:00:00Z'],
    ['Europe/London', '2026-10-25', 25, '2026-10-24T23:00:00Z'],
    ['America/New_York', '2026-03-08', 23, '2026-03-08T05:00:00Z'],
    ['America/New_York', '2026-11-01', 25, '2026-11-01T04:00:00Z'],
    ['Asia/Kolkata', '2026-06-01', 24, '2026-05-31T18:30:00Z'],
    ['Asia/Kathmandu', '2026-06-01', 24, '2026-05-31T18:15:00Z'],
  ])('a day in %s on %s lasts %d hours from local midnight', (zone, date, length, start) => {
    const from = localDateStart(date, zone);
    const [day] = localPeriods(from, from + 1, zone, 'day');
    expect(new Date(day.start).toISOString()).toBe(new Date(at(start)).toISOString());
    expect(hours(day)).toBe(length);
  });

  it('counts the 25 hours of a London fall-back day, the repeated hour twice', () => {
    const from = at('2026-10-24T23:00:00Z');
    const periods = localPeriods(from, from + 25 * 3_600_000, 'Europe/London', 'hour');
    expect(periods).toHaveLength(25);
    expect(periods.every((period) => hours(period) === 1)).toBe(true);
    expect(localInstant(periods[1].start, 'Europe/London')).toBe('2026-10-25T01:00:00+01:00');
    expect(localInstant(periods[2].start, 'Europe/London')).toBe('2026-10-25T01:00:00+00:00');
  });

  it('starts half-hours and hours on local edges in +05:45', () => {
    const periods = localPeriods(
      at('2026-06-01T00:00:00Z'),
      at('2026-06-01T01:00:00Z'),
      'Asia/Kathmandu',
      '30m',
    );
    expect(periods.map((period) => new Date(period.start).toISOString())).toEqual([
      '2026-05-31T23:45:00.000Z',
      '2026-06-01T00:15:00.000Z',
      '2026-06-01T00:45:00.000Z',
    ]);
    const [hour] = localPeriods(
      at('2026-06-01T00:00:00Z'),
      at('2026-06-01T00:01:00Z'),
      'Asia/Kolkata',
      'hour',
    );
    expect(new Date(hour.start).toISOString()).toBe('2026-05-31T23:30:00.000Z');
  });

  it('starts weeks on Monday and months and years at local midnight', () => {
    const zone = 'America/New_York';
    const [week] = localPeriods(
      at('2026-11-04T12:00:00Z'),
      at('2026-11-04T13:00:00Z'),
      zone,
      'week',
    );
    expect(localInstant(week.start, zone)).toBe('2026-11-02T00:00:00-05:00');
    expect(hours(week)).toBe(168);
    const months = localPeriods(
      at('2026-10-15T00:00:00Z'),
      at('2026-11-15T00:00:00Z'),
      zone,
      'month',
    );
    expect(months.map((month) => localInstant(month.start, zone))).toEqual([
      '2026-10-01T00:00:00-04:00',
      '2026-11-01T00:00:00-04:00',
    ]);
    expect(hours(months[1])).toBe(30 * 24 + 1);
    const [year] = localPeriods(
      at('2026-06-01T00:00:00Z'),
      at('2026-06-02T00:00:00Z'),
      zone,
      'year',
    );
    expect(localInstant(year.end, zone)).toBe('2027-01-01T00:00:00-05:00');
  });

  it('finds the period of an instant and its local clock', () => {
    const periods = localPeriods(
      at('2026-03-28T00:00:00Z'),
      at('2026-03-31T00:00:00Z'),
      'Europe/London',
      'day',
    );
    expect(periodIndexOf(periods, at('2026-03-29T22:59:59Z'))).toBe(1);
    expect(periodIndexOf(periods, at('2026-03-29T23:00:00Z'))).toBe(2);
    expect(periodIndexOf(periods, at('2026-04-02T00:00:00Z'))).toBe(-1);
    expect(localClock(at('2026-06-01T00:20:00Z'), 'Asia/Kathmandu')).toEqual({
      date: '2026-06-01',
      weekday: 1,
      minuteOfDay: 6 * 60 + 5,
      hour: 6,
    });
  });
});

describe('compared periods', () => {
  it('sets a week of days against the week before and against a year earlier', () => {
    const zone = 'Europe/London';
    const days = localPeriods(
      at('2026-03-30T00:00:00+01:00'),
      at('2026-04-06T00:00:00+01:00'),
      zone,
      'day',
    );
    const previous = comparedPeriods(days, zone, 'day', 'previous');
    expect(previous).toHaveLength(7);
    expect(localInstant(previous[0].start, zone)).toBe(
      '2026-03-23T00:00:00Z'.replace('Z', '+00:00'),
    );
    expect(previous[6].end).toBe(days[0].start);
    expect(hours(previous[6])).toBe(23);
    const year = comparedPeriods(days, zone, 'day', 'year');
    expect(localInstant(year[0].start, zone)).toBe('2025-03-30T00:00:00+00:00');
  });
});

describe('report schedule', () => {
  it('is due on Monday 07:00 site time for the week before', () => {
    const zone = 'America/New_York';
    const beforeSeven = lastDueReport(at('2026-12-07T11:59:00Z'), zone, 'week');
    expect(localInstant(beforeSeven.dueAt, zone)).toBe('2026-11-30T07:00:00-05:00');
    const atSeven = lastDueReport(at('2026-12-07T12:00:00Z'), zone, 'week');
    expect(localInstant(atSeven.start, zone)).toBe('2026-11-30T00:00:00-05:00');
    expect(localInstant(atSeven.end, zone)).toBe('2026-12-07T00:00:00-05:00');
    const month = lastDueReport(at('2026-12-01T12:00:00Z'), zone, 'month');
    expect(localInstant(month.start, zone)).toBe('2026-11-01T00:00:00-04:00');
  });
});

describe('local periods and instants agree with luxon in every kind of zone', () => {
  // Midnight DST changes (Santiago, Havana, Beirut), half-hour DST (Lord Howe), a skipped day
  // (Apia, end of 2011), Ramadan suspensions (Casablanca), quarter-hour offsets (Kathmandu).
  const zones = [
    'UTC',
    'Europe/London',
    'America/New_York',
    'America/Santiago',
    'America/Havana',
    'Asia/Beirut',
    'Australia/Lord_Howe',
    'Pacific/Apia',
    'Africa/Casablanca',
    'Asia/Kathmandu',
  ];
  const from = Date.UTC(2011, 0, 1);
  const to = Date.UTC(2013, 0, 1);

  /** The plain luxon rule the fast path must equal. */
  function luxonPeriods(zone: string, unit: 'day' | 'week' | 'month' | 'year') {
    const periods: Array<{ start: number; end: number }> = [];
    let start = DateTime.fromMillis(from, { zone }).startOf(unit);
    while (start.toMillis() < to) {
      const end = start.plus({ [`${unit}s`]: 1 }).startOf(unit);
      periods.push({ start: start.toMillis(), end: end.toMillis() });
      start = end;
    }
    return periods;
  }

  it.each(zones)('%s', (zone) => {
    for (const unit of ['day', 'week', 'month', 'year'] as const)
      expect(localPeriods(from, to, zone, unit)).toEqual(luxonPeriods(zone, unit));
    for (const { start } of luxonPeriods(zone, 'day'))
      for (const ms of [start, start + 5, start + 3_600_000 + 1000]) {
        const expected = DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true });
        expect(localInstant(ms, zone)).toBe(expected);
      }
  });
});
