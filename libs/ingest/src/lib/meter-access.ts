import { IngestErrorCode, MeterStatus } from '@gridwatch/contracts';
import { GatewayBatchContext, IngestMeter } from './ingest-context';
import { IngestCheck, failure } from './ingest-result';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Finds the meter a gateway reading names: a gateway writes only to the meters wired to it. A
 * meter of another organization, one wired to another gateway, or a direct meter (no gateway: it
 * writes with its own credential) is answered exactly like a missing one, so a device never
 * learns it exists.
 */
export function meterForGateway(
  meterId: unknown,
  ctx: GatewayBatchContext,
): IngestCheck<IngestMeter> {
  if (typeof meterId !== 'string' || !UUID.test(meterId)) {
    return failure(IngestErrorCode.UnknownMeter, 'meter_id must be the UUID of a meter');
  }
  const meter = ctx.meters.get(meterId) ?? ctx.meters.get(meterId.toLowerCase());
  const reachable =
    meter !== undefined &&
    meter.organizationId === ctx.organizationId &&
    meter.gatewayId === ctx.gatewayId;
  if (!reachable) {
    return failure(IngestErrorCode.UnknownMeter, `meter ${meterId} is not known to this gateway`);
  }
  return acceptingMeter(meter);
}

/** Checks that the meter a direct device authenticated as belongs to the organization. */
export function meterForDevice(
  meter: IngestMeter,
  organizationId: string,
): IngestCheck<IngestMeter> {
  if (meter.organizationId !== organizationId) {
    return failure(IngestErrorCode.UnknownMeter, `meter ${meter.id} is not known`);
  }
  return acceptingMeter(meter);
}

/** A decommissioned meter's readings are refused. */
function acceptingMeter(meter: IngestMeter): IngestCheck<IngestMeter> {
  if (meter.status === MeterStatus.Decommissioned) {
    return failure(IngestErrorCode.MeterDecommissioned, `meter ${meter.id} is decommissioned`);
  }
  return { ok: true, value: meter };
}
