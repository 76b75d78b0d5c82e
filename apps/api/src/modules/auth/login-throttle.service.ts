import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig, REDIS, TooManyRequests } from '@gridwatch/server';

type Counter = 'login:ip' | 'login:email' | 'signup:ip';

/**
 * Fixed-window attempt counters in Redis, so every replica agrees: logins per IP and per email,
 * sign-ups per IP (each attempt costs an argon2 hash).
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one login attempt; throws 429 with Retry-After once either limit is passed. */
  async hit(ip: string, email: string): Promise<void> {
    const { loginMaxAttemptsPerIp, loginMaxAttemptsPerEmail, loginWindowSeconds } = this.config;
    const message = 'Too many login attempts; try again later';
    await this.count('login:ip', ip, loginMaxAttemptsPerIp, loginWindowSeconds, message);
    await this.count('login:email', email, loginMaxAttemptsPerEmail, loginWindowSeconds, message);
  }

  /** Counts one sign-up attempt from `ip`; throws 429 with Retry-After past the limit. */
  async hitSignup(ip: string): Promise<void> {
    const { signupMaxAttemptsPerIp, signupWindowSeconds } = this.config;
    const message = 'Too many sign-up attempts from this address; try again later';
    await this.count('signup:ip', ip, signupMaxAttemptsPerIp, signupWindowSeconds, message);
  }

  /** A successful login clears the email's counter (the IP's keeps counting). */
  async clear(email: string): Promise<void> {
    await this.redis.del(this.key('login:email', email));
  }

  private async count(
    counter: Counter,
    value: string,
    limit: number,
    windowSeconds: number,
    message: string,
  ): Promise<void> {
    const key = this.key(counter, value);
    const [[, count], [, ttl]] = (await this.redis.multi().incr(key).ttl(key).exec()) as [
      [null, number],
      [null, number],
    ];
    if (ttl < 0) await this.redis.expire(key, windowSeconds);
    if (count > limit) throw new TooManyRequests(message, ttl > 0 ? ttl : windowSeconds);
  }

  private key(counter: Counter, value: string): string {
    return `${this.config.queuePrefix}:${counter}:${value.toLowerCase()}`;
  }
}
