import { MeterStatus, ValueRangeOverrides } from '@gridwatch/contracts';

export const DEFAULT_MAX_FUTURE_SECONDS = 300;
export const DEFAULT_MAX_READINGS = 5000;

/** What ingest needs to know of a meter; a meter entity satisfies it. */
export interface IngestMeter {
  id: string;
  gatewayId: string | null;
  organizationId: string;
  status: MeterStatus;
  rangeOverrides?: ValueRangeOverrides | null;
}

/** How far from `now` a reading's timestamp may be. */
export interface ReadingTimeRules {
  now: Date;
  /** Readings older than this are refused as timestamp_too_old. */
  maxAgeSeconds: number;
  /** Readings further ahead than this are refused as timestamp_in_future; default 300. */
  maxFutureSeconds?: number;
}

/** The authenticated gateway a batch came from, and the meters it may report for. */
export interface GatewayBatchContext extends ReadingTimeRules {
  gatewayId: string;
  organizationId: string;
  /** The organization's meters by UUID (lower case). */
  meters: ReadonlyMap<string, IngestMeter>;
  /** Default 5000. */
  maxReadings?: number;
  /** The authenticated gateway's serial; when given, the payload's gateway_serial must match it. */
  gatewaySerial?: string;
}

/** The authenticated direct device a sample came from. */
export interface DeviceSampleContext extends ReadingTimeRules {
  organizationId: string;
  meter: IngestMeter;
}
