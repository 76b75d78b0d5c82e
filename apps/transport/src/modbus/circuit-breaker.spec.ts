import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  it('degrades on failures, opens at the threshold and stops polling until the cool-down', () => {
    const breaker = new CircuitBreaker(3, 60_000);
    expect(breaker.gatewayStatus).toBe('online');
    breaker.recordFailure(1000);
    expect([breaker.state, breaker.gatewayStatus]).toEqual(['closed', 'degraded']);
    breaker.recordFailure(2000);
    breaker.recordFailure(3000);
    expect([breaker.state, breaker.gatewayStatus]).toEqual(['open', 'offline']);
    expect(breaker.allows(3000 + 59_999)).toBe(false);
    expect(breaker.retryAt).toBe(63_000);
  });

  it('lets one trial through after the cool-down: success closes it, failure reopens it', () => {
    const breaker = new CircuitBreaker(1, 10_000);
    breaker.recordFailure(0);
    expect(breaker.allows(10_000)).toBe(true);
    expect(breaker.state).toBe('half_open');
    breaker.recordFailure(10_500);
    expect([breaker.state, breaker.allows(15_000), breaker.allows(20_500)]).toEqual([
      'open',
      false,
      true,
    ]);
    breaker.recordSuccess();
    expect([breaker.state, breaker.gatewayStatus, breaker.consecutiveFailures]).toEqual([
      'closed',
      'online',
      0,
    ]);
  });

  it('forgives failures that a success interrupts', () => {
    const breaker = new CircuitBreaker(3, 1000);
    breaker.recordFailure(0);
    breaker.recordFailure(0);
    breaker.recordSuccess();
    breaker.recordFailure(0);
    breaker.recordFailure(0);
    expect(breaker.state).toBe('closed');
  });
});
