import { IngestErrorCode } from '@gridwatch/contracts';
import { NormalisedReading } from './normalised-reading';

/** A refusal, of a whole payload or of one of its readings. */
export interface IngestFailure {
  ok: false;
  error: IngestErrorCode;
  message: string;
}

/** The outcome of one validation step: its value, or why it failed. */
export type IngestCheck<T> = { ok: true; value: T } | IngestFailure;

/** A reading of a batch that was refused; `index` is its position in `readings`. */
export interface RejectedReading {
  index: number;
  error: IngestErrorCode;
  message: string;
}

/** A batch is refused whole, or split into accepted and rejected readings (partial acceptance). */
export type GatewayBatchValidation =
  IngestFailure | { ok: true; accepted: NormalisedReading[]; rejected: RejectedReading[] };

/** A device sample is refused whole, or yields current, voltage and derived power readings. */
export type DeviceSampleValidation = IngestFailure | { ok: true; accepted: NormalisedReading[] };

export function failure(error: IngestErrorCode, message: string): IngestFailure {
  return { ok: false, error, message };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
