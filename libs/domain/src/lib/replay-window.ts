export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

/** Unix seconds as devices send them (X-Timestamp, MQTT `timestamp`): 9 to 11 plain digits. */
const UNIX_SECONDS = /^\d{9,11}$/;

/**
 * Whether a signed message's timestamp is within `windowSeconds` of `aroundMs`, either side
 * (inclusive). `aroundMs` is now for every request and message, except a last will, which is
 * judged against the moment its session was opened (see docs/mqtt.md).
 */
export function isWithinReplayWindow(
  timestampSeconds: number,
  aroundMs: number,
  windowSeconds = DEFAULT_REPLAY_WINDOW_SECONDS,
): boolean {
  if (!Number.isFinite(timestampSeconds) || !Number.isFinite(aroundMs)) {
    return false;
  }
  return Math.abs(aroundMs - timestampSeconds * 1000) <= windowSeconds * 1000;
}

/** A signing timestamp in unix seconds, or null unless it is 9 to 11 plain digits. */
export function signingTimestampSeconds(text: string | undefined): number | null {
  return text !== undefined && UNIX_SECONDS.test(text) ? Number(text) : null;
}
