import { IngestErrorCode, Parameter, ValueRangeOverrides } from '@gridwatch/contracts';
import { DeviceSampleContext } from './ingest-context';
import { DeviceSampleValidation, IngestCheck, failure, isPlainObject } from './ingest-result';
import { Measurement, measurementOf, worseQuality } from './measurement';
import { meterForDevice } from './meter-access';
import { readingTime } from './reading-time';

/**
 * Validates a direct device's sample (seed 001) into current_a, voltage_v and power_w readings,
 * power being current x voltage. Current and voltage must be non-negative; the sample is accepted
 * or refused whole.
 */
export function validateDeviceSample(
  payload: unknown,
  ctx: DeviceSampleContext,
): DeviceSampleValidation {
  const meter = meterForDevice(ctx.meter, ctx.organizationId);
  if (!meter.ok) {
    return meter;
  }
  if (!isPlainObject(payload)) {
    return failure(IngestErrorCode.InvalidPayload, 'payload must be a JSON object');
  }
  const ts = readingTime(payload['ts'], 'ts', ctx);
  if (!ts.ok) {
    return ts;
  }
  const attributes = payload['attributes'];
  if (attributes !== undefined && attributes !== null && !isPlainObject(attributes)) {
    return failure(IngestErrorCode.InvalidPayload, 'attributes must be a JSON object');
  }
  const measurements = sampleMeasurements(payload, meter.value.rangeOverrides);
  if (!measurements.ok) {
    return measurements;
  }
  return {
    ok: true,
    accepted: measurements.value.map((measurement) => ({
      meterId: meter.value.id,
      ts: ts.value,
      ...measurement,
    })),
  };
}

function sampleMeasurements(
  payload: Record<string, unknown>,
  rangeOverrides: ValueRangeOverrides | null | undefined,
): IngestCheck<Measurement[]> {
  const current = nonNegative(payload['current'], 'current');
  if (!current.ok) {
    return current;
  }
  const voltage = nonNegative(payload['voltage'], 'voltage');
  if (!voltage.ok) {
    return voltage;
  }
  const currentA = measurementOf(
    { parameter: Parameter.CurrentA, value: current.value },
    rangeOverrides,
  );
  if (!currentA.ok) {
    return currentA;
  }
  const voltageV = measurementOf(
    { parameter: Parameter.VoltageV, value: voltage.value },
    rangeOverrides,
  );
  if (!voltageV.ok) {
    return voltageV;
  }
  const power = current.value * voltage.value;
  const powerW = measurementOf({ parameter: Parameter.PowerW, value: power }, rangeOverrides);
  if (!powerW.ok) {
    return powerW;
  }
  // Power computed from an implausible current or voltage is no better than its inputs.
  const powerQuality = worseQuality(
    powerW.value.quality,
    worseQuality(currentA.value.quality, voltageV.value.quality),
  );
  return {
    ok: true,
    value: [currentA.value, voltageV.value, { ...powerW.value, quality: powerQuality }],
  };
}

function nonNegative(raw: unknown, field: string): IngestCheck<number> {
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) {
    return failure(IngestErrorCode.InvalidValue, `${field} must be a non-negative finite number`);
  }
  return { ok: true, value: raw };
}
