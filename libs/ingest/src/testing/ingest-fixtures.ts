import { MeterStatus } from '@gridwatch/contracts';
import { DeviceSampleContext, GatewayBatchContext, IngestMeter } from '../lib/ingest-context';

/** Test factories: one line builds a meter, a context, a batch or a reading. */

export const NOW = new Date('2026-07-01T12:00:00Z');
export const ORGANIZATION_ID = '0a0a0a0a-0000-4000-8000-000000000001';
export const OTHER_ORGANIZATION_ID = '0b0b0b0b-0000-4000-8000-000000000002';
export const GATEWAY_ID = '0c0c0c0c-0000-4000-8000-000000000003';
export const OTHER_GATEWAY_ID = '0d0d0d0d-0000-4000-8000-000000000004';
export const GATEWAY_SERIAL = 'GW-0001';

let meterSequence = 0;

export function aMeter(overrides: Partial<IngestMeter> = {}): IngestMeter {
  meterSequence += 1;
  return {
    id: `5e7e0000-0000-4000-8000-${String(meterSequence).padStart(12, '0')}`,
    gatewayId: GATEWAY_ID,
    organizationId: ORGANIZATION_ID,
    status: MeterStatus.Online,
    ...overrides,
  };
}

export function aBatchContext(
  meters: IngestMeter[],
  overrides: Partial<GatewayBatchContext> = {},
): GatewayBatchContext {
  return {
    now: NOW,
    maxAgeSeconds: 7 * 24 * 3600,
    gatewayId: GATEWAY_ID,
    organizationId: ORGANIZATION_ID,
    meters: new Map(meters.map((meter) => [meter.id, meter])),
    ...overrides,
  };
}

export function aSampleContext(
  meter: IngestMeter,
  overrides: Partial<DeviceSampleContext> = {},
): DeviceSampleContext {
  return {
    now: NOW,
    maxAgeSeconds: 7 * 24 * 3600,
    organizationId: ORGANIZATION_ID,
    meter,
    ...overrides,
  };
}

export function aReading(
  meter: IngestMeter,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return { meter_id: meter.id, parameter: 'power_w', value: 1500, unit: 'W', ...overrides };
}

export function aBatch(
  readings: unknown[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    gateway_serial: GATEWAY_SERIAL,
    timestamp: '2026-07-01T11:59:00Z',
    readings,
    ...overrides,
  };
}

export function aSample(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ts: '2026-07-01T11:59:30Z',
    current: 5.2,
    voltage: 230,
    attributes: { phase: 'L1', sample_ms: 1000 },
    ...overrides,
  };
}
