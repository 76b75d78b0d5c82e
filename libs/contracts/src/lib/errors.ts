/** Stable, machine-readable error codes: the `error` field of every error response. */
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
  IngestBacklogFull: 'ingest_backlog_full',
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
} as const;
export type IngestErrorCode = (typeof IngestErrorCode)[keyof typeof IngestErrorCode];
