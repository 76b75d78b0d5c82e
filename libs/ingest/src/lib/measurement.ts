import {
  IngestErrorCode,
  PARAMETERS,
  Parameter,
  QUALITIES,
  Quality,
  ValueRangeOverrides,
} from '@gridwatch/contracts';
import { isOutOfRange, normaliseUnit } from '@gridwatch/domain';
import { IngestCheck, failure } from './ingest-result';

/** A value in its parameter's canonical unit, with its quality and range verdict. */
export interface Measurement {
  parameter: Parameter;
  value: number;
  unit: string;
  quality: Quality;
  outOfRange: boolean;
}

/** What a device sent for one value; every field is unchecked. */
export interface RawMeasurement {
  parameter: unknown;
  value: unknown;
  unit?: unknown;
  quality?: unknown;
}

const QUALITY_RANK: Readonly<Record<Quality, number>> = {
  [Quality.Good]: 0,
  [Quality.Estimated]: 1,
  [Quality.Questionable]: 2,
  [Quality.Bad]: 3,
};

/**
 * Checks, in this order, the parameter, the value (a finite number), the unit, that the value is
 * still finite in the canonical unit, and the quality (default good). An implausible value is kept, but marked
 * out of range and at best questionable.
 */
export function measurementOf(
  raw: RawMeasurement,
  rangeOverrides?: ValueRangeOverrides | null,
): IngestCheck<Measurement> {
  const { parameter, value, unit, quality } = raw;
  if (!isParameter(parameter)) {
    return failure(
      IngestErrorCode.UnknownParameter,
      `parameter must be one of ${PARAMETERS.join(', ')}`,
    );
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return failure(IngestErrorCode.InvalidValue, `value of ${parameter} must be a finite number`);
  }
  if (unit !== undefined && unit !== null && typeof unit !== 'string') {
    return failure(IngestErrorCode.UnknownUnit, `unit of ${parameter} must be a string`);
  }
  const normalised = normaliseUnit(parameter, value, unit);
  if (!normalised.ok) {
    return failure(normalised.error, normalised.message);
  }
  // A finite value can overflow in conversion (1.7e308 kW is Infinity W): it would be stored as null.
  if (!Number.isFinite(normalised.value)) {
    return failure(
      IngestErrorCode.InvalidValue,
      `value of ${parameter} is not a finite number in ${normalised.unit || 'its canonical unit'}`,
    );
  }
  if (quality !== undefined && quality !== null && !isQuality(quality)) {
    return failure(
      IngestErrorCode.InvalidQuality,
      `quality must be one of ${QUALITIES.join(', ')}`,
    );
  }
  const outOfRange = isOutOfRange(parameter, normalised.value, rangeOverrides ?? undefined);
  const stated = quality ?? Quality.Good;
  return {
    ok: true,
    value: {
      parameter,
      value: normalised.value,
      unit: normalised.unit,
      quality: outOfRange ? worseQuality(stated, Quality.Questionable) : stated,
      outOfRange,
    },
  };
}

/** The worse of two qualities: good < estimated < questionable < bad. */
export function worseQuality(a: Quality, b: Quality): Quality {
  return QUALITY_RANK[a] >= QUALITY_RANK[b] ? a : b;
}

function isParameter(value: unknown): value is Parameter {
  return PARAMETERS.includes(value as Parameter);
}

function isQuality(value: unknown): value is Quality {
  return QUALITIES.includes(value as Quality);
}
