import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { ERROR_OUTCOMES, ErrorCode, ErrorResponse } from '@gridwatch/contracts';
import { DomainException, ServiceUnavailable, TooManyRequests } from './domain-exception';
import { isOutage, OUTAGE_RETRY_AFTER_SECONDS } from './outage';

/** The code of a failure Nest or Express raise themselves (no domain code), by its status. */
export const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'route_not_found',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'too_many_requests',
  503: 'service_unavailable',
};

/**
 * Maps every failure to `{statusCode, error, message, details?}`: a domain exception's status is
 * its code's in `ERROR_OUTCOMES`; unknown errors become 500.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toErrorResponse(exception);
    if (exception instanceof TooManyRequests || exception instanceof ServiceUnavailable) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    } else if (body.error === 'service_unavailable') {
      response.setHeader('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
    }
    response.status(body.statusCode).json(body);
  }

  private toErrorResponse(exception: unknown): ErrorResponse {
    if (exception instanceof DomainException) {
      const body: ErrorResponse = {
        statusCode: ERROR_OUTCOMES[exception.code].status,
        error: exception.code,
        message: exception.message,
      };
      if (exception.details !== undefined) body.details = exception.details;
      return body;
    }
    if (exception instanceof HttpException) return this.fromHttpException(exception);
    const bodyError = fromBodyParser(exception);
    if (bodyError) return bodyError;
    if (isOutage(exception)) {
      this.logger.warn(`backing service unavailable: ${(exception as Error).message}`);
      return {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'service_unavailable',
        message: 'A backing service is unavailable; retry shortly',
      };
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'internal_error',
      message: 'Internal server error',
    };
  }

  /** Exceptions Nest and Express raise themselves: unknown route, body too large, bad JSON. */
  private fromHttpException(exception: HttpException): ErrorResponse {
    const statusCode = exception.getStatus();
    const raw = exception.getResponse();
    const message =
      typeof raw === 'object' && raw !== null && 'message' in raw
        ? String((raw as { message: unknown }).message)
        : exception.message;
    return { statusCode, error: CODE_BY_STATUS[statusCode] ?? 'error', message };
  }
}

/** body-parser's own errors (too large, malformed JSON) carry `type` and `status`. */
function fromBodyParser(exception: unknown): ErrorResponse | null {
  const error = exception as {
    type?: unknown;
    status?: unknown;
    message?: unknown;
    code?: unknown;
  } | null;
  if (typeof error?.type !== 'string' || typeof error.status !== 'number') return null;
  // The JSON verify hook (app.setup.ts) refuses a body with one of our codes.
  if (error.type === 'entity.verify.failed' && isDomainCode(error.code)) {
    return {
      statusCode: ERROR_OUTCOMES[error.code].status,
      error: error.code,
      message: String(error.message),
    };
  }
  if (error.type === 'entity.too.large') {
    return {
      statusCode: 413,
      error: 'payload_too_large',
      message: 'The request body exceeds 2 MiB',
    };
  }
  if (error.type === 'entity.parse.failed') {
    return {
      statusCode: 400,
      error: 'invalid_json',
      message: 'The request body is not valid JSON',
    };
  }
  return {
    statusCode: error.status,
    error: CODE_BY_STATUS[error.status] ?? 'error',
    message: String(error.message),
  };
}

function isDomainCode(code: unknown): code is keyof typeof ERROR_OUTCOMES {
  return typeof code === 'string' && Object.hasOwn(ERROR_OUTCOMES, code);
}
