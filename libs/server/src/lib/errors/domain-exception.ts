import {
  type CodeWithStatus,
  type DomainErrorCode,
  ERROR_OUTCOMES,
  FieldError,
} from '@gridwatch/contracts';

/**
 * A failure a caller can act on. Services throw these carrying a code only; `ERROR_OUTCOMES` in
 * `@gridwatch/contracts` says what the code means to HTTP (the exception filter's status) and MQTT.
 */
export class DomainException extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: FieldError[] | Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** The HTTP status of the code, from the one table. */
  get status(): number {
    return ERROR_OUTCOMES[this.code].status;
  }
}

export class NotFound extends DomainException {
  constructor(code: CodeWithStatus<404>, what: string) {
    super(code, `${what} not found`);
  }
}

export class Conflict extends DomainException {
  constructor(code: CodeWithStatus<409>, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

export class Unauthenticated extends DomainException {
  constructor(code: CodeWithStatus<401> = 'unauthenticated', message = 'Authentication required') {
    super(code, message);
  }
}

export class Forbidden extends DomainException {
  constructor(message: string, details?: Record<string, unknown>) {
    super('forbidden', message, details);
  }
}

export class TooManyRequests extends DomainException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too_many_requests', message, { retryAfterSeconds });
  }
}

/** 503 for a passing condition (queue down, backlog full): the caller retries after a while. */
export class ServiceUnavailable extends DomainException {
  constructor(
    code: CodeWithStatus<503>,
    message: string,
    readonly retryAfterSeconds: number,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, { ...details, retryAfterSeconds });
  }
}

export class ValidationFailed extends DomainException {
  constructor(message: string, details: FieldError[]) {
    super('validation_failed', message, details);
  }
}
