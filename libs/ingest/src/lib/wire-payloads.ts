/** One reading of a gateway batch, as devices in the field send it (seed 000, snake_case). */
export interface GatewayBatchReadingPayload {
  /** The meter's UUID. */
  meter_id: string;
  parameter: string;
  /** Must be a finite JSON number; typed unknown because devices send anything. */
  value: unknown;
  unit?: string;
  quality?: string;
  /** RFC 3339 with an offset; overrides the batch's timestamp for this reading. */
  timestamp?: string;
}

/** Body of `POST /api/v1/readings/ingest` and of `gridwatch/gateways/{serial}/readings`. */
export interface GatewayBatchPayload {
  gateway_serial: string;
  /** RFC 3339 with an offset. */
  timestamp: string;
  readings: GatewayBatchReadingPayload[];
}

/** Body of `POST /api/v1/ingest` and of `gridwatch/meters/{uuid}/readings` (seed 001). */
export interface DeviceSamplePayload {
  /** RFC 3339 with an offset. */
  ts: string;
  /** Amperes. */
  current: number;
  /** Volts. */
  voltage: number;
  /** Free-form context such as phase and sample_ms. */
  attributes?: Record<string, unknown>;
}
