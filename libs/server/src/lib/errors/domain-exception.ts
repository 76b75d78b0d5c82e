import { ErrorCode, FieldError, IngestErrorCode } from '@gridwatch/contracts';

/**
 * A failure a caller can act on. Services throw these; one exception filter maps every one to
 * the error shape `{statusCode, error, message, details?}`.
 */
export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode | IngestErrorCode,
    readonly status: number,
    message: string,
    readonly details?: FieldError[] | Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends DomainException {
  constructor(code: ErrorCode, what: string) {
    super(code, 404, `${what} not found`);
  }
}

export class Conflict extends DomainException {
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, 409, message, details);
  }
}

export class Unauthenticated extends DomainException {
  constructor(code: ErrorCode = 'unauthenticated', message = 'Authentication required') {
    super(code, 401, message);
  }
}

export class Forbidden extends DomainException {
  constructor(message: string, details?: Record<string, unknown>) {
    super('forbidden', 403, message, details);
  }
}

export class TooManyRequests extends DomainException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too_many_requests', 429, message, { retryAfterSeconds });
  }
}

/** 503 for a passing condition (queue down, backlog full): the caller retries after a while. */
export class ServiceUnavailable extends DomainException {
  constructor(
    code: ErrorCode,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, 503, message, { retryAfterSeconds });
  }
}

export class ValidationFailed extends DomainException {
  constructor(message: string, details: FieldError[]) {
    super('validation_failed', 400, message, details);
  }
}
