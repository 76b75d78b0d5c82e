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
  InternalError: 'internal_error',
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
