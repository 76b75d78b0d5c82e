import { relativeTime } from './labels';

describe('relativeTime', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it.each([
    [null, 'Never'],
    ['2026-03-01T11:59:30Z', 'Just now'],
    ['2026-03-01T11:55:00Z', '5 min ago'],
    ['2026-03-01T09:00:00+00:00', '3 h ago'],
    ['2026-02-28T12:00:00Z', '1 day ago'],
    ['2026-02-20T12:00:00Z', '9 days ago'],
    ['not a date', 'Unknown'],
  ])('%s -> %s', (iso, expected) => {
    expect(relativeTime(iso, now)).toBe(expected);
  });
});
