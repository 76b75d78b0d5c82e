import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { type DomainErrorCode, ERROR_OUTCOMES, type ErrorResponse } from '@gridwatch/contracts';
import { ErrorResponseDto } from './error-response.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: `details` lists each bad field',
  401: 'Missing, invalid or expired credentials',
  403: 'The caller lacks a required scope',
  404: 'Not found (or owned by another organization)',
  409: 'Conflicts with the current state',
  413: 'Payload too large',
  429: 'Too many requests; see Retry-After',
  500: 'Internal error',
  503: 'A dependency (queue, database) is unavailable; retry shortly',
};

/** Example messages and details where the code alone would not show what a client receives. */
const EXAMPLES: Partial<Record<DomainErrorCode, Pick<ErrorResponse, 'message' | 'details'>>> = {
  validation_failed: {
    message: 'Invalid request: check email',
    details: [{ field: 'email', messages: ['email must be an email'] }],
  },
  unauthenticated: { message: 'A bearer access token is required' },
  forbidden: {
    message: 'Missing scope: devices:write',
    details: { missingScopes: ['devices:write'] },
  },
  payload_too_large: { message: 'The request body exceeds 2 MiB' },
  too_many_requests: {
    message: 'Too many attempts; try again later',
    details: { retryAfterSeconds: 60 },
  },
  service_unavailable: { message: 'The ingest queue is unavailable; retry shortly' },
  internal_error: { message: 'Internal server error' },
  missing_device_credentials: {
    message: 'Send X-Device-ID with X-Device-Secret, or X-Timestamp and X-Signature',
  },
  invalid_device_credentials: { message: 'Unknown device or wrong credentials' },
  invalid_timestamp: { message: 'X-Timestamp must be unix seconds' },
  stale_timestamp: {
    message: 'X-Timestamp is outside the 300 s window; check the device clock',
  },
  replayed: { message: 'This signature was already used' },
  no_readings_accepted: {
    message: 'No reading in the batch was valid',
    details: {
      rejected: [{ index: 0, error: 'unknown_meter', message: 'meter_id is not a meter here' }],
    },
  },
  too_many_readings: { message: 'A batch holds at most 5000 readings' },
};

/** The error answer of a code, as the exception filter would send it. */
export function errorExample(code: DomainErrorCode): ErrorResponse {
  const example = EXAMPLES[code];
  const words = code.replaceAll('_', ' ');
  const body: ErrorResponse = {
    statusCode: ERROR_OUTCOMES[code].status,
    error: code,
    message: example?.message ?? words.charAt(0).toUpperCase() + words.slice(1),
  };
  if (example?.details !== undefined) body.details = example.details;
  return body;
}

/** The generic code of a status: the first code of `ERROR_OUTCOMES` answered with it. */
function codeOfStatus(status: number): DomainErrorCode {
  const codes = Object.keys(ERROR_OUTCOMES) as DomainErrorCode[];
  const code = codes.find((candidate) => ERROR_OUTCOMES[candidate].status === status);
  if (!code) throw new Error(`No error code answers ${status}`);
  return code;
}

/**
 * Documents the error answers a handler can give, all in the one error shape, each with an
 * example. Pass a status for its generic code (404 -> `not_found`) or the codes themselves
 * (`'meter_not_found'`): their statuses come from `ERROR_OUTCOMES`.
 */
export function ApiErrors(
  ...errors: Array<number | DomainErrorCode>
): MethodDecorator & ClassDecorator {
  const codesByStatus = new Map<number, DomainErrorCode[]>();
  for (const error of errors) {
    const code = typeof error === 'number' ? codeOfStatus(error) : error;
    const status = ERROR_OUTCOMES[code].status;
    codesByStatus.set(status, [...(codesByStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...codesByStatus].map(([status, codes]) =>
      // Content given explicitly: errors are JSON even where the handler produces CSV.
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: {
          'application/json': {
            schema: { $ref: getSchemaPath(ErrorResponseDto) },
            examples: Object.fromEntries(
              codes.map((code) => [code, { summary: code, value: errorExample(code) }]),
            ),
          },
        },
      }),
    ),
    ApiExtraModels(ErrorResponseDto),
  );
}
