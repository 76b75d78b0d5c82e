/**
 * The benchmark fleet (one site, N http gateways x M meters, created through the management API)
 * and the readings it sends: values from the simulators' load profiles, every
 * (meter, parameter, ts) unique across the whole run.
 */
import type { WireBatch, WireReading } from '../simulators/device-client';
import { provisionFleet } from '../simulators/fleet-provisioner';
import { LoadProfile } from '../simulators/load-profile';
import type { FleetManifest, ManifestGateway, ManifestMeter } from '../simulators/manifest';
import type { ManagementClient } from '../simulators/management-client';

export const TIME_ZONE = 'Europe/London';

export async function createFleet(
  client: ManagementClient,
  gateways: number,
  metersPerGateway: number,
  label: string,
): Promise<FleetManifest> {
  return provisionFleet(client, {
    gateways,
    metersPerGateway,
    timezone: TIME_ZONE,
    label,
    concurrency: 16,
  });
}

type Counters = ReturnType<LoadProfile['initialCounters']>;

/**
 * Endless batches of `batchSize` readings per gateway, taking turns between gateways: gateway g's
 * batch holds its meters' readings at consecutive instants `stepMs` apart, starting at `startMs`.
 * Instants never repeat within a source; give each phase its own time window.
 */
export class ReadingSource {
  private readonly profile = new LoadProfile({ seed: 'bench', timeZone: TIME_ZONE });
  private readonly counters = new Map<string, Counters>();
  private readonly nextInstant: number[];
  private turn = 0;
  generated = 0;

  constructor(
    private readonly gateways: ManifestGateway[],
    private readonly startMs: number,
    private readonly stepMs: number,
    private readonly batchSize: number,
  ) {
    this.nextInstant = gateways.map(() => 0);
    for (const gateway of gateways)
      for (const meter of gateway.meters)
        this.counters.set(meter.id, this.profile.initialCounters(meter, startMs));
  }

  /** The next batch, of the next gateway in turn. */
  next(): { gateway: ManifestGateway; batch: WireBatch } {
    const index = this.turn;
    this.turn = (this.turn + 1) % this.gateways.length;
    const gateway = this.gateways[index];
    const readings: WireReading[] = [];
    while (readings.length < this.batchSize) {
      const ms = this.startMs + this.nextInstant[index] * this.stepMs;
      this.nextInstant[index] += 1;
      readings.push(...this.readingsAt(gateway.meters, ms));
    }
    this.generated += readings.length;
    return {
      gateway,
      batch: {
        gateway_serial: gateway.serialNumber,
        timestamp: readings[0].timestamp as string,
        readings,
      },
    };
  }

  /** Every reading of `meters` at instant `ms` (one instant, for live batches). */
  readingsAt(meters: ManifestMeter[], ms: number): WireReading[] {
    const timestamp = new Date(ms).toISOString();
    const readings: WireReading[] = [];
    for (const meter of meters) {
      const advanced = this.profile.advance(
        meter,
        this.counters.get(meter.id) ?? this.profile.initialCounters(meter, ms),
        ms,
      );
      this.counters.set(meter.id, advanced);
      for (const reading of this.profile.readingsOf(
        meter,
        this.profile.sample(meter, ms),
        advanced,
      ))
        readings.push({ meter_id: meter.id, ...reading, timestamp });
    }
    return readings;
  }
}
