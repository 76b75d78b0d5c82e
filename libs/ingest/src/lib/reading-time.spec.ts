import { NOW } from '../testing/ingest-fixtures';
import { checkReadingTime, parseTimestampField, readingTime } from './reading-time';

const rules = { now: NOW, maxAgeSeconds: 3600 };
const secondsFromNow = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe('reading time', () => {
  describe('parseTimestampField', () => {
    it('parses an RFC 3339 date-time with an offset', () => {
      expect(parseTimestampField('2026-07-01T14:00:00+02:00', 'timestamp')).toEqual({
        ok: true,
        value: NOW,
      });
    });

    it.each([
      ['without an offset', '2026-07-01T12:00:00'],
      ['as unix seconds', 1782907200],
      ['as a numeric string', '1782907200'],
      ['missing', undefined],
      ['null', null],
      ['nonsense', 'yesterday'],
    ])('refuses a timestamp %s as invalid_timestamp', (_, raw) => {
      expect(parseTimestampField(raw, 'ts')).toEqual({
        ok: false,
        error: 'invalid_timestamp',
        message: 'ts must be an RFC 3339 date-time with an offset',
      });
    });
  });

  describe('checkReadingTime', () => {
    it('accepts now', () => {
      expect(checkReadingTime(NOW, rules)).toEqual({ ok: true, value: NOW });
    });

    it('accepts up to five minutes ahead by default, for clock skew', () => {
      expect(checkReadingTime(secondsFromNow(300), rules).ok).toBe(true);
    });

    it('refuses more than five minutes ahead by default as timestamp_in_future', () => {
      expect(checkReadingTime(secondsFromNow(301), rules)).toMatchObject({
        ok: false,
        error: 'timestamp_in_future',
      });
    });

    it('honours a custom future allowance', () => {
      expect(checkReadingTime(secondsFromNow(30), { ...rules, maxFutureSeconds: 10 }).ok).toBe(
        false,
      );
      expect(checkReadingTime(secondsFromNow(10), { ...rules, maxFutureSeconds: 10 }).ok).toBe(
        true,
      );
    });

    it('accepts a reading exactly maxAgeSeconds old', () => {
      expect(checkReadingTime(secondsFromNow(-3600), rules).ok).toBe(true);
    });

    it('refuses a reading older than maxAgeSeconds as timestamp_too_old', () => {
      expect(checkReadingTime(secondsFromNow(-3601), rules)).toEqual({
        ok: false,
        error: 'timestamp_too_old',
        message: 'timestamp 2026-07-01T10:59:59.000Z is more than 3600 s old',
      });
    });
  });

  describe('readingTime', () => {
    it('parses, then applies the time rules', () => {
      expect(readingTime('2026-07-01T11:30:00Z', 'timestamp', rules).ok).toBe(true);
      expect(readingTime('2026-07-01T10:00:00Z', 'timestamp', rules)).toMatchObject({
        error: 'timestamp_too_old',
      });
      expect(readingTime('2026-07-01T10:00:00', 'timestamp', rules)).toMatchObject({
        error: 'invalid_timestamp',
      });
    });
  });
});
