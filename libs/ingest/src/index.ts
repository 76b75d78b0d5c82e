export type {
  DeviceSamplePayload,
  GatewayBatchPayload,
  GatewayBatchReadingPayload,
} from './lib/wire-payloads';
export type { NormalisedReading } from './lib/normalised-reading';
export {
  DEFAULT_MAX_FUTURE_SECONDS,
  DEFAULT_MAX_READINGS,
  type DeviceSampleContext,
  type GatewayBatchContext,
  type IngestMeter,
  type ReadingTimeRules,
} from './lib/ingest-context';
export type {
  DeviceSampleValidation,
  GatewayBatchValidation,
  IngestFailure,
  RejectedReading,
} from './lib/ingest-result';
export { worseQuality } from './lib/measurement';
export { validateGatewayBatch } from './lib/validate-batch';
export { validateDeviceSample } from './lib/validate-sample';
// Server side of the pipeline (Nest providers): device authentication and the enqueue step.
export * from './lib/device-authenticator';
export * from './lib/device-signature';
export * from './lib/ingest-backlog';
export * from './lib/ingest-pipeline';
export * from './lib/gateway-status.writer';
export * from './lib/outbound-host-policy';
export * from './lib/modbus-host-policy';
export * from './lib/ingest.module';
