import { parseRfc3339Timestamp } from './rfc3339';

export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

const UNIX_SECONDS = /^\d{1,12}$/;

/** Whether a signed request's timestamp is within `windowSeconds` of now, either side (inclusive). */
export function isWithinReplayWindow(
  timestampSeconds: number,
  nowMs: number,
  windowSeconds = DEFAULT_REPLAY_WINDOW_SECONDS,
): boolean {
  if (!Number.isFinite(timestampSeconds) || !Number.isFinite(nowMs)) {
    return false;
  }
  return Math.abs(nowMs - timestampSeconds * 1000) <= windowSeconds * 1000;
}

/**
 * Parses a signing timestamp: unix seconds as plain digits, or an RFC 3339 date-time with Z or an
 * offset. Anything else, including a date-time without an offset, is null.
 */
export function parseUnixOrRfc3339Timestamp(text: string): Date | null {
  if (UNIX_SECONDS.test(text)) {
    return new Date(Number(text) * 1000);
  }
  return parseRfc3339Timestamp(text);
}
