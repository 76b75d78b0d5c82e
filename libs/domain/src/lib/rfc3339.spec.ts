import { parseRfc3339Timestamp } from './rfc3339';

function iso(text: string): string | undefined {
  return parseRfc3339Timestamp(text)?.toISOString();
}

describe('parseRfc3339Timestamp', () => {
  it('parses a UTC time with Z', () => {
    expect(iso('2026-03-29T00:30:00Z')).toBe('2026-03-29T00:30:00.000Z');
  });

  it('applies a positive offset', () => {
    expect(iso('2026-07-01T12:00:00+02:00')).toBe('2026-07-01T10:00:00.000Z');
  });

  it('applies a negative offset', () => {
    expect(iso('2026-07-01T12:00:00-04:30')).toBe('2026-07-01T16:30:00.000Z');
  });

  it('crosses the date line when the offset says so', () => {
    expect(iso('2026-01-01T00:15:00+14:00')).toBe('2025-12-31T10:15:00.000Z');
  });

  it('reads fractional seconds, truncating beyond milliseconds', () => {
    expect(iso('2026-07-01T12:00:00.5Z')).toBe('2026-07-01T12:00:00.500Z');
    expect(iso('2026-07-01T12:00:00.123456789Z')).toBe('2026-07-01T12:00:00.123Z');
  });

  it('accepts the lower-case t and z the RFC allows', () => {
    expect(iso('2026-07-01t12:00:00z')).toBe('2026-07-01T12:00:00.000Z');
  });

  it('reads a leap second as the start of the next minute', () => {
    expect(iso('2016-12-31T23:59:60Z')).toBe('2017-01-01T00:00:00.000Z');
  });

  it.each(['2026-07-01T12:00:00', '2026-07-01T12:00:00.000', '2026-07-01 12:00:00'])(
    'refuses %s because it has no offset',
    (text) => {
      expect(parseRfc3339Timestamp(text)).toBeNull();
    },
  );

  it.each([
    '2026-07-01',
    '2026-07-01T12:00Z',
    '2026-07-01T12:00:00+0200',
    '2026-07-01T12:00:00+02',
    '20260701T120000Z',
    ' 2026-07-01T12:00:00Z',
    '2026-07-01T12:00:00Z ',
    'Wed, 01 Jul 2026 12:00:00 GMT',
    '1751371200',
    '',
  ])('refuses %j, which is not an RFC 3339 date-time', (text) => {
    expect(parseRfc3339Timestamp(text)).toBeNull();
  });

  it.each([
    '2026-02-29T12:00:00Z',
    '2026-13-01T12:00:00Z',
    '2026-04-31T12:00:00Z',
    '2026-07-01T24:00:00Z',
    '2026-07-01T12:60:00Z',
    '2026-07-01T12:00:61Z',
    '2026-07-01T12:00:00+24:00',
    '2026-07-01T12:00:00+02:60',
  ])('refuses the impossible %s', (text) => {
    expect(parseRfc3339Timestamp(text)).toBeNull();
  });

  it('accepts 29 February in a leap year', () => {
    expect(iso('2024-02-29T12:00:00Z')).toBe('2024-02-29T12:00:00.000Z');
  });
});
