import type { ArgumentsHost } from '@nestjs/common';
import { NotFoundException } from '@nestjs/common';
import { type DomainErrorCode, ERROR_OUTCOMES, type ErrorResponse } from '@gridwatch/contracts';
import { DomainException, TooManyRequests } from './domain-exception';
import { AllExceptionsFilter, CODE_BY_STATUS } from './exception.filter';

/** Runs the filter on one exception and returns what the client would receive. */
function answer(exception: unknown) {
  const sent: { status?: number; body?: ErrorResponse; headers: Record<string, string> } = {
    headers: {},
  };
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: ErrorResponse) {
      sent.body = body;
      return this;
    },
    setHeader(name: string, value: string) {
      sent.headers[name] = value;
    },
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response }),
  } as unknown as ArgumentsHost;
  new AllExceptionsFilter().catch(exception, host);
  return sent;
}

describe('AllExceptionsFilter', () => {
  const codes = Object.keys(ERROR_OUTCOMES) as DomainErrorCode[];

  it.each(codes)('answers a DomainException %s with the status of its code', (code) => {
    const sent = answer(new DomainException(code, 'why'));
    expect(sent.status).toBe(ERROR_OUTCOMES[code].status);
    expect(sent.body).toEqual({
      statusCode: ERROR_OUTCOMES[code].status,
      error: code,
      message: 'why',
    });
  });

  it('passes details through and sets Retry-After on 429', () => {
    const sent = answer(new TooManyRequests('slow down', 30));
    expect(sent.status).toBe(429);
    expect(sent.headers['Retry-After']).toBe('30');
    expect(sent.body?.details).toEqual({ retryAfterSeconds: 30 });
  });

  it("gives Nest's own exceptions a code whose table status is theirs", () => {
    for (const [status, code] of Object.entries(CODE_BY_STATUS)) {
      expect({ code, status: ERROR_OUTCOMES[code].status }).toEqual({
        code,
        status: Number(status),
      });
    }
    expect(answer(new NotFoundException('Cannot GET /nope')).body).toEqual({
      statusCode: 404,
      error: 'route_not_found',
      message: 'Cannot GET /nope',
    });
  });

  it('answers an unknown error as a 500 internal_error', () => {
    const sent = answer(new Error('boom'));
    expect(sent.body).toEqual({
      statusCode: 500,
      error: 'internal_error',
      message: 'Internal server error',
    });
  });
});
