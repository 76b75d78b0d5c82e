import {
  DEFAULT_REPLAY_WINDOW_SECONDS,
  isWithinReplayWindow,
  parseUnixOrRfc3339Timestamp,
} from './replay-window';

const NOW_MS = Date.UTC(2026, 6, 1, 12, 0, 0);
const NOW_SECONDS = NOW_MS / 1000;

describe('replay window', () => {
  describe('isWithinReplayWindow', () => {
    it('defaults to five minutes', () => {
      expect(DEFAULT_REPLAY_WINDOW_SECONDS).toBe(300);
    });

    it('accepts a timestamp of now', () => {
      expect(isWithinReplayWindow(NOW_SECONDS, NOW_MS)).toBe(true);
    });

    it('accepts a timestamp exactly at either edge of the window', () => {
      expect(isWithinReplayWindow(NOW_SECONDS - 300, NOW_MS)).toBe(true);
      expect(isWithinReplayWindow(NOW_SECONDS + 300, NOW_MS)).toBe(true);
    });

    it('refuses a timestamp older than the window', () => {
      expect(isWithinReplayWindow(NOW_SECONDS - 301, NOW_MS)).toBe(false);
    });

    it('refuses a timestamp further ahead than the window (device clock skew)', () => {
      expect(isWithinReplayWindow(NOW_SECONDS + 301, NOW_MS)).toBe(false);
    });

    it('honours a custom window', () => {
      expect(isWithinReplayWindow(NOW_SECONDS - 60, NOW_MS, 30)).toBe(false);
      expect(isWithinReplayWindow(NOW_SECONDS - 60, NOW_MS, 60)).toBe(true);
    });

    it('compares fractional seconds precisely', () => {
      expect(isWithinReplayWindow(NOW_SECONDS - 300.001, NOW_MS)).toBe(false);
    });

    it('refuses NaN and infinite timestamps', () => {
      expect(isWithinReplayWindow(Number.NaN, NOW_MS)).toBe(false);
      expect(isWithinReplayWindow(Number.POSITIVE_INFINITY, NOW_MS)).toBe(false);
      expect(isWithinReplayWindow(NOW_SECONDS, Number.NaN)).toBe(false);
    });
  });

  describe('parseUnixOrRfc3339Timestamp', () => {
    it('reads unix seconds given as digits', () => {
      expect(parseUnixOrRfc3339Timestamp('1782907200')?.toISOString()).toBe(
        '2026-07-01T12:00:00.000Z',
      );
    });

    it('reads unix second zero', () => {
      expect(parseUnixOrRfc3339Timestamp('0')?.getTime()).toBe(0);
    });

    it('reads an RFC 3339 date-time with Z', () => {
      expect(parseUnixOrRfc3339Timestamp('2026-07-01T12:00:00Z')?.getTime()).toBe(NOW_MS);
    });

    it('reads an RFC 3339 date-time with an offset', () => {
      expect(parseUnixOrRfc3339Timestamp('2026-07-01T14:00:00+02:00')?.getTime()).toBe(NOW_MS);
    });

    it('refuses a date-time without an offset', () => {
      expect(parseUnixOrRfc3339Timestamp('2026-07-01T12:00:00')).toBeNull();
    });

    it.each(['-1782907200', '1782907200.5', '1.78e9', '+1782907200', ' 1782907200', '0x6a5c', ''])(
      'refuses %j, which is neither digits nor RFC 3339',
      (text) => {
        expect(parseUnixOrRfc3339Timestamp(text)).toBeNull();
      },
    );

    it('refuses an absurdly long run of digits', () => {
      expect(parseUnixOrRfc3339Timestamp('9'.repeat(13))).toBeNull();
    });

    it('round-trips with the replay window check', () => {
      const parsed = parseUnixOrRfc3339Timestamp(String(NOW_SECONDS - 10));
      expect(parsed && isWithinReplayWindow(parsed.getTime() / 1000, NOW_MS)).toBe(true);
    });
  });
});
