import { bucketStart, localDate } from './rollup-buckets';

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
});
