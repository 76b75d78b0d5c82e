import { IngestErrorCode } from '@gridwatch/contracts';
import { DEFAULT_MAX_READINGS, GatewayBatchContext } from './ingest-context';
import {
  GatewayBatchValidation,
  IngestCheck,
  RejectedReading,
  failure,
  isPlainObject,
} from './ingest-result';
import { measurementOf } from './measurement';
import { meterForGateway } from './meter-access';
import { NormalisedReading } from './normalised-reading';
import { checkReadingTime, parseTimestampField, readingTime } from './reading-time';

const MAX_GATEWAY_SERIAL_LENGTH = 128;

interface BatchEnvelope {
  timestamp: Date;
  readings: unknown[];
}

/**
 * Validates and normalises a gateway batch. A malformed envelope refuses the whole batch; past
 * that each reading is accepted or rejected on its own (partial acceptance), and a repeat of an
 * accepted (meter, parameter, ts) is rejected as duplicate_in_batch.
 */
export function validateGatewayBatch(
  payload: unknown,
  ctx: GatewayBatchContext,
): GatewayBatchValidation {
  const envelope = batchEnvelope(payload, ctx);
  if (!envelope.ok) {
    return envelope;
  }
  const accepted: NormalisedReading[] = [];
  const rejected: RejectedReading[] = [];
  const seen = new Set<string>();
  envelope.value.readings.forEach((item, index) => {
    const reading = batchReading(item, envelope.value.timestamp, ctx);
    if (!reading.ok) {
      rejected.push({ index, error: reading.error, message: reading.message });
      return;
    }
    const identity = readingIdentity(reading.value);
    if (seen.has(identity)) {
      rejected.push({
        index,
        error: IngestErrorCode.DuplicateInBatch,
        message: 'an earlier reading in this batch has the same meter, parameter and timestamp',
      });
      return;
    }
    seen.add(identity);
    accepted.push(reading.value);
  });
  return { ok: true, accepted, rejected };
}

function batchEnvelope(payload: unknown, ctx: GatewayBatchContext): IngestCheck<BatchEnvelope> {
  if (!isPlainObject(payload)) {
    return failure(IngestErrorCode.InvalidPayload, 'payload must be a JSON object');
  }
  const serial = payload['gateway_serial'];
  if (
    typeof serial !== 'string' ||
    serial.trim() === '' ||
    serial.length > MAX_GATEWAY_SERIAL_LENGTH
  ) {
    return failure(
      IngestErrorCode.InvalidGatewaySerial,
      `gateway_serial must be a non-empty string of at most ${MAX_GATEWAY_SERIAL_LENGTH} characters`,
    );
  }
  if (ctx.gatewaySerial !== undefined && serial !== ctx.gatewaySerial) {
    return failure(
      IngestErrorCode.GatewaySerialMismatch,
      'gateway_serial is not the serial of the authenticated gateway',
    );
  }
  const timestamp = parseTimestampField(payload['timestamp'], 'timestamp');
  if (!timestamp.ok) {
    return timestamp;
  }
  const readings = payload['readings'];
  if (!Array.isArray(readings)) {
    return failure(IngestErrorCode.InvalidReadings, 'readings must be an array');
  }
  if (readings.length === 0) {
    return failure(IngestErrorCode.EmptyBatch, 'readings must not be empty');
  }
  const maxReadings = ctx.maxReadings ?? DEFAULT_MAX_READINGS;
  if (readings.length > maxReadings) {
    return failure(
      IngestErrorCode.TooManyReadings,
      `a batch holds at most ${maxReadings} readings, not ${readings.length}`,
    );
  }
  return { ok: true, value: { timestamp: timestamp.value, readings } };
}

/** Checks one reading: meter, then measurement, then its own or the batch's timestamp. */
function batchReading(
  item: unknown,
  batchTimestamp: Date,
  ctx: GatewayBatchContext,
): IngestCheck<NormalisedReading> {
  if (!isPlainObject(item)) {
    return failure(IngestErrorCode.InvalidReading, 'each reading must be a JSON object');
  }
  const meter = meterForGateway(item['meter_id'], ctx);
  if (!meter.ok) {
    return meter;
  }
  const measurement = measurementOf(
    {
      parameter: item['parameter'],
      value: item['value'],
      unit: item['unit'],
      quality: item['quality'],
    },
    meter.value.rangeOverrides,
  );
  if (!measurement.ok) {
    return measurement;
  }
  const ownTimestamp = item['timestamp'];
  const ts =
    ownTimestamp === undefined || ownTimestamp === null
      ? checkReadingTime(batchTimestamp, ctx)
      : readingTime(ownTimestamp, 'timestamp', ctx);
  if (!ts.ok) {
    return ts;
  }
  return { ok: true, value: { meterId: meter.value.id, ts: ts.value, ...measurement.value } };
}

function readingIdentity(reading: NormalisedReading): string {
  return `${reading.meterId}|${reading.parameter}|${reading.ts.getTime()}`;
}
