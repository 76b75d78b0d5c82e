import {
  DEFAULT_REPLAY_WINDOW_SECONDS,
  isWithinReplayWindow,
  signingTimestampSeconds,
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

  describe('signingTimestampSeconds', () => {
    it('reads unix seconds given as digits', () => {
      expect(signingTimestampSeconds('1782907200')).toBe(1782907200);
    });

    it.each([
      '-1782907200',
      '1782907200.5',
      '1.78e9',
      '+1782907200',
      ' 1782907200',
      '0x6a5c',
      '',
      '0',
    ])('refuses %j, which is not unix seconds', (text) => {
      expect(signingTimestampSeconds(text)).toBeNull();
    });

    it('refuses a missing timestamp and an absurdly long run of digits', () => {
      expect(signingTimestampSeconds(undefined)).toBeNull();
      expect(signingTimestampSeconds('9'.repeat(12))).toBeNull();
    });

    it('refuses an RFC 3339 date-time: devices sign unix seconds', () => {
      expect(signingTimestampSeconds('2026-07-01T12:00:00Z')).toBeNull();
    });

    it('round-trips with the replay window check', () => {
      const parsed = signingTimestampSeconds(String(NOW_SECONDS - 10));
      expect(parsed !== null && isWithinReplayWindow(parsed, NOW_MS)).toBe(true);
    });
  });
});
