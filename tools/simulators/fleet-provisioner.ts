import { randomBytes } from 'node:crypto';
import {
  GatewayProtocol,
  MeterKind,
  Parameter,
  type GatewayView,
  type IssuedCredential,
  type MeResponse,
  type MeterView,
  type SiteView,
  type ValueRangeOverrides,
} from '@gridwatch/contracts';
import { gridOf } from './load-profile';
import type { FleetManifest, ManifestGateway } from './manifest';
import type { ManagementClient } from './management-client';

export interface FleetSpec {
  gateways: number;
  metersPerGateway: number;
  /** IANA zone of the one site all gateways share. */
  timezone: string;
  /** Kinds given to meters in turn; default every electrical kind. */
  kinds?: readonly MeterKind[];
  /** Makes site codes and gateway serials unique; default a random suffix. */
  label?: string;
  /** Concurrent management requests; default 8. */
  concurrency?: number;
  /** How the gateways send; default http. An mqtt gateway gets a broker account from the API. */
  protocol?: GatewayProtocol;
}

const ELECTRICAL_KINDS: readonly MeterKind[] = [
  MeterKind.Main,
  MeterKind.Heater,
  MeterKind.AirConditioning,
  MeterKind.Lighting,
  MeterKind.Server,
  MeterKind.Ups,
  MeterKind.Other,
];

/**
 * Creates, through the management API, one site with `gateways` gateways (http by default) of
 * `metersPerGateway` meters each, and a credential per gateway; answers the manifest the
 * simulators read. Needs a user with devices:write.
 */
export async function provisionFleet(
  client: ManagementClient,
  spec: FleetSpec,
  log: (line: string) => void = () => undefined,
): Promise<FleetManifest> {
  const label = (spec.label ?? randomBytes(3).toString('hex')).toUpperCase();
  const kinds = spec.kinds ?? ELECTRICAL_KINDS;
  const me = await client.get<MeResponse>('/api/v1/auth/me');
  const site = await client.post<SiteView>('/api/v1/sites', {
    code: `SIM-${label}`,
    name: `Simulated site ${label}`,
    timezone: spec.timezone,
    operatingHours: weekdays('08:00', '18:00'),
  });
  log(`created site ${site.code} (${site.timezone})`);
  const gateways: ManifestGateway[] = [];
  for (let g = 1; g <= spec.gateways; g += 1) {
    const gateway = await client.post<GatewayView>('/api/v1/gateways', {
      serialNumber: `GW-SIM-${label}-${String(g).padStart(4, '0')}`,
      name: `Simulated gateway ${g}`,
      siteId: site.id,
      protocol: spec.protocol ?? GatewayProtocol.Http,
    });
    const meters = await mapConcurrently(spec.metersPerGateway, spec.concurrency ?? 8, (m) => {
      const kind = kinds[(m + (g - 1) * spec.metersPerGateway) % kinds.length];
      return client.post<MeterView>('/api/v1/meters', {
        name: `${kind} ${g}.${m + 1}`,
        siteId: site.id,
        gatewayId: gateway.id,
        kind,
        rangeOverrides: rangeOverridesFor(spec.timezone),
      });
    });
    const credential = await client.post<IssuedCredential>(
      `/api/v1/gateways/${gateway.id}/credentials`,
    );
    gateways.push({
      serialNumber: credential.deviceId,
      protocol: gateway.protocol,
      host: gateway.host,
      port: gateway.port,
      secret: credential.secret,
      timezone: site.timezone,
      meters: meters.map((meter) => ({
        id: meter.id,
        name: meter.name,
        kind: meter.kind,
        modbusUnitId: meter.modbusUnitId,
        registerMap: meter.registerMap,
      })),
    });
    log(`created gateway ${credential.deviceId} with ${meters.length} meters`);
  }
  return { organizationId: me.organizationId, gateways };
}

/** Meters on ~120 V mains fall outside the default 180..260 V range; they say so, as the domain expects. */
function rangeOverridesFor(timezone: string): ValueRangeOverrides {
  const { voltageV } = gridOf(timezone);
  if (voltageV >= 180 && voltageV <= 260) return {};
  return {
    [Parameter.VoltageV]: { min: Math.round(voltageV * 0.85), max: Math.round(voltageV * 1.15) },
  };
}

function weekdays(open: string, close: string): Record<string, { open: string; close: string }> {
  return Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, { open, close }]),
  );
}

/** Runs `task(0..count-1)` with at most `limit` in flight; answers results in index order. */
export async function mapConcurrently<T>(
  count: number,
  limit: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}
