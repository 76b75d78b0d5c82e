import type { GatewayStatus } from '@gridwatch/contracts';

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * One gateway's circuit breaker. Closed: polled on its interval; each failed poll in a row marks
 * it degraded. `threshold` failures in a row open it: the gateway is offline and not polled until
 * `cooldownMs` has passed; then one trial poll (half-open) closes it on success, or opens it again.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
  ) {}

  get state(): BreakerState {
    return this.current;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Whether a poll may run now; moves an open breaker whose cool-down is over to half-open. */
  allows(now: number): boolean {
    if (this.current === 'open' && now - this.openedAt >= this.cooldownMs) {
      this.current = 'half_open';
    }
    return this.current !== 'open';
  }

  /** When an open breaker lets the next trial through. */
  get retryAt(): number | null {
    return this.current === 'open' ? this.openedAt + this.cooldownMs : null;
  }

  recordSuccess(): void {
    this.current = 'closed';
    this.failures = 0;
  }

  recordFailure(now: number): void {
    this.failures += 1;
    if (this.current === 'half_open' || this.failures >= this.threshold) {
      this.current = 'open';
      this.openedAt = now;
    }
  }

  /** What the gateway's status column should say. */
  get gatewayStatus(): Extract<GatewayStatus, 'online' | 'degraded' | 'offline'> {
    if (this.current !== 'closed') return 'offline';
    return this.failures === 0 ? 'online' : 'degraded';
  }
}
