/**
 * Stable, machine-readable error codes: the `error` field of every error response.
 * A new code goes at the end of this list and gets its line in `ERROR_OUTCOMES` below (the
 * compiler refuses a code without one).
 */
export const ErrorCode = {
  ValidationFailed: 'validation_failed',
  Unauthenticated: 'unauthenticated',
  InvalidCredentials: 'invalid_credentials',
  InvalidToken: 'invalid_token',
  RefreshTokenReused: 'refresh_token_reused',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  RouteNotFound: 'route_not_found',
  TooManyRequests: 'too_many_requests',
  PayloadTooLarge: 'payload_too_large',
  Conflict: 'conflict',
  SignupDisabled: 'signup_disabled',
  EmailTaken: 'email_taken',
  UserDisabled: 'user_disabled',
  LastOwner: 'last_owner',
  UserNotFound: 'user_not_found',
  SiteNotFound: 'site_not_found',
  SiteCodeTaken: 'site_code_taken',
  SiteInUse: 'site_in_use',
  GatewayNotFound: 'gateway_not_found',
  GatewaySerialTaken: 'gateway_serial_taken',
  GatewayInUse: 'gateway_in_use',
  MeterNotFound: 'meter_not_found',
  MeterDecommissioned: 'meter_decommissioned',
  IllegalStatusTransition: 'illegal_status_transition',
  CredentialNotFound: 'credential_not_found',
  CredentialRevoked: 'credential_revoked',
  CredentialExists: 'credential_exists',
  ServiceUnavailable: 'service_unavailable',
  MissingDeviceCredentials: 'missing_device_credentials',
  InvalidDeviceCredentials: 'invalid_device_credentials',
  InvalidTimestamp: 'invalid_timestamp',
  StaleTimestamp: 'stale_timestamp',
  Replayed: 'replayed',
  NoReadingsAccepted: 'no_readings_accepted',
  InvalidPayload: 'invalid_payload',
  InvalidJson: 'invalid_json',
  BatchNotFound: 'batch_not_found',
  JobNotFound: 'job_not_found',
  InternalError: 'internal_error',
  PayloadTooDeep: 'payload_too_deep',
  ModbusHostNotAllowed: 'modbus_host_not_allowed',
  DataQualityIssueNotFound: 'data_quality_issue_not_found',
  WeakPassword: 'weak_password',
  IngestBacklogFull: 'ingest_backlog_full',
  MessageInFlight: 'message_in_flight',
  AlertRuleNotFound: 'alert_rule_not_found',
  AlertNotFound: 'alert_not_found',
  NotificationNotFound: 'notification_not_found',
  WebhookUrlNotAllowed: 'webhook_url_not_allowed',
  TicketNotFound: 'ticket_not_found',
  TicketMessageNotFound: 'ticket_message_not_found',
  AttachmentNotFound: 'attachment_not_found',
  SnapshotNotFound: 'snapshot_not_found',
  InvalidAssignee: 'invalid_assignee',
  TicketClosed: 'ticket_closed',
  AlertTicketExists: 'alert_ticket_exists',
  UnsupportedMediaType: 'unsupported_media_type',
  SnapshotTooLarge: 'snapshot_too_large',
  InvalidTariff: 'invalid_tariff',
  TariffNotFound: 'tariff_not_found',
  InvalidAnalyticsRange: 'invalid_analytics_range',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface FieldError {
  field: string;
  messages: string[];
}

/** The one shape of every error the API answers. */
export interface ErrorResponse {
  statusCode: number;
  error: ErrorCode | string;
  message: string;
  details?: FieldError[] | Record<string, unknown>;
}

/** Why a device payload, or one reading in it, was refused by the ingest pipeline. */
export const IngestErrorCode = {
  InvalidPayload: 'invalid_payload',
  InvalidGatewaySerial: 'invalid_gateway_serial',
  GatewaySerialMismatch: 'gateway_serial_mismatch',
  InvalidTimestamp: 'invalid_timestamp',
  InvalidReadings: 'invalid_readings',
  EmptyBatch: 'empty_batch',
  TooManyReadings: 'too_many_readings',
  InvalidReading: 'invalid_reading',
  UnknownMeter: 'unknown_meter',
  MeterDecommissioned: 'meter_decommissioned',
  UnknownParameter: 'unknown_parameter',
  UnknownUnit: 'unknown_unit',
  InvalidValue: 'invalid_value',
  InvalidQuality: 'invalid_quality',
  TimestampInFuture: 'timestamp_in_future',
  TimestampTooOld: 'timestamp_too_old',
  DuplicateInBatch: 'duplicate_in_batch',
  /** Passed validation, yet the database refused to store it (see the batch's failures). */
  StorageRefused: 'storage_refused',
} as const;
export type IngestErrorCode = (typeof IngestErrorCode)[keyof typeof IngestErrorCode];

/** Every code a `DomainException` may carry: the API's own and the ingest pipeline's. */
export type DomainErrorCode = ErrorCode | IngestErrorCode;

/**
 * What a refused MQTT message becomes: `reject` = it can never succeed, so it is acknowledged and
 * dropped; `retry` = a passing failure, so it is left unacknowledged for the broker to redeliver.
 */
export type MqttOutcome = 'reject' | 'retry';

export interface ErrorOutcome {
  /** The HTTP status the API answers. */
  status: number;
  mqtt: MqttOutcome;
}

const reject = <S extends number>(status: S) => ({ status, mqtt: 'reject' }) as const;
const retry = <S extends number>(status: S) => ({ status, mqtt: 'retry' }) as const;

/**
 * The one mapping of an error code to its HTTP status and MQTT outcome, read by the API's
 * exception filter, its docs and the transport. Append new codes at the end.
 */
export const ERROR_OUTCOMES = {
  validation_failed: reject(400),
  unauthenticated: reject(401),
  invalid_credentials: reject(401),
  invalid_token: reject(401),
  refresh_token_reused: reject(401),
  forbidden: reject(403),
  not_found: reject(404),
  route_not_found: reject(404),
  too_many_requests: retry(429),
  payload_too_large: reject(413),
  conflict: reject(409),
  signup_disabled: reject(403),
  email_taken: reject(409),
  user_disabled: reject(403),
  last_owner: reject(409),
  user_not_found: reject(404),
  site_not_found: reject(404),
  site_code_taken: reject(409),
  site_in_use: reject(409),
  gateway_not_found: reject(404),
  gateway_serial_taken: reject(409),
  gateway_in_use: reject(409),
  meter_not_found: reject(404),
  meter_decommissioned: reject(409),
  illegal_status_transition: reject(409),
  credential_not_found: reject(404),
  credential_revoked: reject(409),
  credential_exists: reject(409),
  service_unavailable: retry(503),
  missing_device_credentials: reject(401),
  invalid_device_credentials: reject(401),
  invalid_timestamp: reject(400),
  stale_timestamp: reject(401),
  replayed: reject(401),
  no_readings_accepted: reject(400),
  invalid_payload: reject(400),
  invalid_json: reject(400),
  batch_not_found: reject(404),
  job_not_found: reject(404),
  internal_error: retry(500),
  // The ingest pipeline's codes (IngestErrorCode) not already above.
  invalid_gateway_serial: reject(400),
  gateway_serial_mismatch: reject(400),
  invalid_readings: reject(400),
  empty_batch: reject(400),
  too_many_readings: reject(413),
  invalid_reading: reject(400),
  unknown_meter: reject(400),
  unknown_parameter: reject(400),
  unknown_unit: reject(400),
  invalid_value: reject(400),
  invalid_quality: reject(400),
  timestamp_in_future: reject(400),
  timestamp_too_old: reject(400),
  duplicate_in_batch: reject(400),
  payload_too_deep: reject(400),
  modbus_host_not_allowed: reject(400),
  data_quality_issue_not_found: reject(404),
  weak_password: reject(400),
  // A reading the database refused after it was accepted: parked in its batch, never answered.
  storage_refused: reject(422),
  ingest_backlog_full: retry(503),
  // An MQTT copy whose first delivery may still be in flight, or died mid-way: redelivered later.
  message_in_flight: retry(503),
  alert_rule_not_found: reject(404),
  alert_not_found: reject(404),
  notification_not_found: reject(404),
  webhook_url_not_allowed: reject(400),
  ticket_not_found: reject(404),
  ticket_message_not_found: reject(404),
  attachment_not_found: reject(404),
  snapshot_not_found: reject(404),
  // Not a same-organization owner, operator or support user.
  invalid_assignee: reject(400),
  ticket_closed: reject(409),
  // The alert already has its ticket (details: ticketId, number).
  alert_ticket_exists: reject(409),
  unsupported_media_type: reject(415),
  snapshot_too_large: reject(413),
  invalid_tariff: reject(400),
  tariff_not_found: reject(404),
  invalid_analytics_range: reject(400),
} as const satisfies Record<DomainErrorCode, ErrorOutcome>;

export type ErrorOutcomes = typeof ERROR_OUTCOMES;

/** The codes answered with HTTP status `S`, e.g. `CodeWithStatus<404>`. */
export type CodeWithStatus<S extends number> = {
  [K in DomainErrorCode]: ErrorOutcomes[K]['status'] extends S ? K : never;
}[DomainErrorCode];

export function errorOutcome(code: DomainErrorCode): ErrorOutcome {
  return ERROR_OUTCOMES[code];
}
