import { DomainException } from '@gridwatch/server';
import { isTransientFailure } from './transient-failure';

describe('isTransientFailure', () => {
  it('retries outages: queue unavailable, refused connections, pg connection states, Redis', () => {
    expect(isTransientFailure(new DomainException('service_unavailable', 'queue down'))).toBe(true);
    expect(isTransientFailure(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(
      true,
    );
    const pg = Object.assign(new Error('terminating'), { driverError: { code: '57P01' } });
    expect(isTransientFailure(pg)).toBe(true);
    expect(isTransientFailure(new Error('Connection is closed.'))).toBe(true);
    expect(isTransientFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isTransientFailure(
        new Error('Client has encountered a connection error and is not queryable'),
      ),
    ).toBe(true);
    expect(isTransientFailure(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBe(true);
  });

  it('does not retry what would fail again: bugs, stack overflows, bad input', () => {
    expect(isTransientFailure(new RangeError('Maximum call stack size exceeded'))).toBe(false);
    expect(
      isTransientFailure(new TypeError("Cannot read properties of undefined (reading 'x')")),
    ).toBe(false);
    expect(isTransientFailure(new DomainException('invalid_payload', 'bad'))).toBe(false);
    const invalidUuid = Object.assign(new Error('invalid input syntax for type uuid'), {
      driverError: { code: '22P02' },
    });
    expect(isTransientFailure(invalidUuid)).toBe(false);
    expect(isTransientFailure('a string')).toBe(false);
  });
});
