import { IngestErrorCode } from '@gridwatch/contracts';
import { parseRfc3339Timestamp } from '@gridwatch/domain';
import { DEFAULT_MAX_FUTURE_SECONDS, ReadingTimeRules } from './ingest-context';
import { IngestCheck, failure } from './ingest-result';

/** Parses a payload timestamp: an RFC 3339 string with Z or an offset. */
export function parseTimestampField(raw: unknown, field: string): IngestCheck<Date> {
  const ts = typeof raw === 'string' ? parseRfc3339Timestamp(raw) : null;
  if (!ts) {
    return failure(
      IngestErrorCode.InvalidTimestamp,
      `${field} must be an RFC 3339 date-time with an offset`,
    );
  }
  return { ok: true, value: ts };
}

/** Refuses a reading time too far ahead of now (clock skew) or older than the ingest window. */
export function checkReadingTime(ts: Date, rules: ReadingTimeRules): IngestCheck<Date> {
  const nowMs = rules.now.getTime();
  const maxFutureSeconds = rules.maxFutureSeconds ?? DEFAULT_MAX_FUTURE_SECONDS;
  if (ts.getTime() > nowMs + maxFutureSeconds * 1000) {
    return failure(
      IngestErrorCode.TimestampInFuture,
      `timestamp ${ts.toISOString()} is more than ${maxFutureSeconds} s ahead of server time`,
    );
  }
  if (ts.getTime() < nowMs - rules.maxAgeSeconds * 1000) {
    return failure(
      IngestErrorCode.TimestampTooOld,
      `timestamp ${ts.toISOString()} is more than ${rules.maxAgeSeconds} s old`,
    );
  }
  return { ok: true, value: ts };
}

/** Parses and checks a payload timestamp in one step. */
export function readingTime(
  raw: unknown,
  field: string,
  rules: ReadingTimeRules,
): IngestCheck<Date> {
  const parsed = parseTimestampField(raw, field);
  return parsed.ok ? checkReadingTime(parsed.value, rules) : parsed;
}
