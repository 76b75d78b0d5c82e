import { bucketStart, isValidTimeZone, localDate, localDayBounds } from './rollup-buckets';

const HOUR_MS = 3_600_000;

function hoursIn(bounds: { start: Date; end: Date }): number {
  return (bounds.end.getTime() - bounds.start.getTime()) / HOUR_MS;
}

function isoBounds(date: string, timeZone: string): { start: string; end: string } {
  const { start, end } = localDayBounds(date, timeZone);
  return { start: start.toISOString(), end: end.toISOString() };
}

describe('rollup buckets', () => {
  describe('bucketStart', () => {
    it('floors to the 5-minute boundary', () => {
      expect(bucketStart(new Date('2026-03-29T10:07:59.999Z'), '5m').toISOString()).toBe(
        '2026-03-29T10:05:00.000Z',
      );
    });

    it('floors to the hour', () => {
      expect(bucketStart(new Date('2026-03-29T10:59:59.999Z'), '1h').toISOString()).toBe(
        '2026-03-29T10:00:00.000Z',
      );
    });

    it('keeps an instant already on a boundary', () => {
      const boundary = new Date('2026-03-29T10:05:00Z');
      expect(bucketStart(boundary, '5m')).toEqual(boundary);
      expect(bucketStart(new Date('2026-03-29T10:00:00Z'), '1h').toISOString()).toBe(
        '2026-03-29T10:00:00.000Z',
      );
    });

    it('uses UTC boundaries whatever the zone, so a +05:30 reading floors to :00 UTC', () => {
      expect(bucketStart(new Date('2026-03-29T15:45:00+05:30'), '1h').toISOString()).toBe(
        '2026-03-29T10:00:00.000Z',
      );
    });

    it('floors instants before 1970 downwards', () => {
      expect(bucketStart(new Date('1969-12-31T23:58:00Z'), '5m').toISOString()).toBe(
        '1969-12-31T23:55:00.000Z',
      );
    });

    it('refuses an invalid date', () => {
      expect(() => bucketStart(new Date(Number.NaN), '5m')).toThrow(RangeError);
    });
  });

  describe('localDate', () => {
    it('is the UTC date in UTC', () => {
      expect(localDate(new Date('2026-03-29T23:59:59Z'), 'UTC')).toBe('2026-03-29');
    });

    it('is already tomorrow in Tokyo at 15:00 UTC', () => {
      expect(localDate(new Date('2026-03-29T15:00:00Z'), 'Asia/Tokyo')).toBe('2026-03-30');
    });

    it('is still yesterday in New York at 03:00 UTC', () => {
      expect(localDate(new Date('2026-03-29T03:00:00Z'), 'America/New_York')).toBe('2026-03-28');
    });

    it('follows British Summer Time', () => {
      expect(localDate(new Date('2026-07-01T23:30:00Z'), 'Europe/London')).toBe('2026-07-02');
      expect(localDate(new Date('2026-01-01T23:30:00Z'), 'Europe/London')).toBe('2026-01-01');
    });

    it('handles half- and quarter-hour zones', () => {
      expect(localDate(new Date('2026-03-29T18:29:59Z'), 'Asia/Kolkata')).toBe('2026-03-29');
      expect(localDate(new Date('2026-03-29T18:30:00Z'), 'Asia/Kolkata')).toBe('2026-03-30');
      expect(localDate(new Date('2026-03-29T18:15:00Z'), 'Asia/Kathmandu')).toBe('2026-03-30');
    });

    it('refuses an unknown zone', () => {
      expect(() => localDate(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
    });

    it('refuses an invalid date', () => {
      expect(() => localDate(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
    });
  });

  describe('localDayBounds', () => {
    it('spans 24 hours on an ordinary day', () => {
      expect(isoBounds('2026-07-01', 'Europe/London')).toEqual({
        start: '2026-06-30T23:00:00.000Z',
        end: '2026-07-01T23:00:00.000Z',
      });
    });

    it('spans 23 hours in London when the clocks go forward (2026-03-29)', () => {
      const bounds = localDayBounds('2026-03-29', 'Europe/London');
      expect(isoBounds('2026-03-29', 'Europe/London')).toEqual({
        start: '2026-03-29T00:00:00.000Z',
        end: '2026-03-29T23:00:00.000Z',
      });
      expect(hoursIn(bounds)).toBe(23);
    });

    it('spans 25 hours in London when the clocks go back (2026-10-25)', () => {
      const bounds = localDayBounds('2026-10-25', 'Europe/London');
      expect(isoBounds('2026-10-25', 'Europe/London')).toEqual({
        start: '2026-10-24T23:00:00.000Z',
        end: '2026-10-26T00:00:00.000Z',
      });
      expect(hoursIn(bounds)).toBe(25);
    });

    it('spans 23 hours in New York on 2026-03-08 and 25 on 2026-11-01', () => {
      expect(isoBounds('2026-03-08', 'America/New_York')).toEqual({
        start: '2026-03-08T05:00:00.000Z',
        end: '2026-03-09T04:00:00.000Z',
      });
      expect(isoBounds('2026-11-01', 'America/New_York')).toEqual({
        start: '2026-11-01T04:00:00.000Z',
        end: '2026-11-02T05:00:00.000Z',
      });
    });

    it('spans 24 hours in New York either side of the changes', () => {
      for (const date of ['2026-03-07', '2026-03-09', '2026-10-31', '2026-11-02']) {
        expect(hoursIn(localDayBounds(date, 'America/New_York'))).toBe(24);
      }
    });

    it('starts a day whose midnight is skipped at the end of the gap (Santiago, 2026-09-06)', () => {
      expect(isoBounds('2026-09-06', 'America/Santiago')).toEqual({
        start: '2026-09-06T04:00:00.000Z',
        end: '2026-09-07T03:00:00.000Z',
      });
      expect(localDayBounds('2026-09-05', 'America/Santiago').end).toEqual(
        localDayBounds('2026-09-06', 'America/Santiago').start,
      );
    });

    it('spans 25 hours where the clocks fall back from midnight (Santiago, 2026-04-04)', () => {
      expect(isoBounds('2026-04-04', 'America/Santiago')).toEqual({
        start: '2026-04-04T03:00:00.000Z',
        end: '2026-04-05T04:00:00.000Z',
      });
    });

    it('handles a half-hour daylight saving shift (Lord Howe Island)', () => {
      expect(hoursIn(localDayBounds('2026-04-05', 'Australia/Lord_Howe'))).toBe(24.5);
      expect(hoursIn(localDayBounds('2026-10-04', 'Australia/Lord_Howe'))).toBe(23.5);
    });

    it('tiles consecutive days without gaps or overlaps', () => {
      let previous = localDayBounds('2026-03-25', 'Europe/London');
      for (const date of ['2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30']) {
        const bounds = localDayBounds(date, 'Europe/London');
        expect(bounds.start).toEqual(previous.end);
        previous = bounds;
      }
    });

    it('agrees with localDate at both ends of the day', () => {
      for (const timeZone of ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'UTC']) {
        for (const date of ['2026-03-29', '2026-10-25', '2026-03-08', '2026-11-01', '2024-02-29']) {
          const { start, end } = localDayBounds(date, timeZone);
          expect(localDate(start, timeZone)).toBe(date);
          expect(localDate(new Date(end.getTime() - 1), timeZone)).toBe(date);
          expect(localDate(new Date(start.getTime() - 1), timeZone)).not.toBe(date);
          expect(localDate(end, timeZone)).not.toBe(date);
        }
      }
    });

    it('crosses month and year ends', () => {
      expect(isoBounds('2026-12-31', 'UTC')).toEqual({
        start: '2026-12-31T00:00:00.000Z',
        end: '2027-01-01T00:00:00.000Z',
      });
    });

    it('refuses a day the zone skipped entirely (Samoa, 2011-12-30)', () => {
      expect(() => localDayBounds('2011-12-30', 'Pacific/Apia')).toThrow(RangeError);
      expect(hoursIn(localDayBounds('2011-12-29', 'Pacific/Apia'))).toBe(24);
    });

    it.each(['2026-02-30', '2026-13-01', '2026-1-01', '26-01-01', '2026-01-01T00:00:00Z', ''])(
      'refuses the malformed date %j',
      (date) => {
        expect(() => localDayBounds(date, 'UTC')).toThrow(RangeError);
      },
    );

    it('refuses an unknown zone', () => {
      expect(() => localDayBounds('2026-01-01', 'Nowhere/Special')).toThrow(RangeError);
    });
  });

  describe('isValidTimeZone', () => {
    it('accepts IANA zones and refuses made-up ones', () => {
      expect(isValidTimeZone('Europe/London')).toBe(true);
      expect(isValidTimeZone('UTC')).toBe(true);
      expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
      expect(isValidTimeZone('')).toBe(false);
    });
  });
});
