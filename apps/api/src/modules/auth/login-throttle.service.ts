import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig, REDIS, TooManyRequests } from '@gridwatch/server';

/** Fixed-window login attempt counters per IP and per email, in Redis so every replica agrees. */
@Injectable()
export class LoginThrottleService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one attempt; throws 429 with Retry-After once either limit is passed. */
  async hit(ip: string, email: string): Promise<void> {
    const window = this.config.loginWindowSeconds;
    const keys: Array<[string, number]> = [
      [this.key('ip', ip), this.config.loginMaxAttemptsPerIp],
      [this.key('email', email), this.config.loginMaxAttemptsPerEmail],
    ];
    for (const [key, limit] of keys) {
      const [[, count], [, ttl]] = (await this.redis.multi().incr(key).ttl(key).exec()) as [
        [null, number],
        [null, number],
      ];
      if (ttl < 0) await this.redis.expire(key, window);
      if (count > limit) {
        throw new TooManyRequests(
          'Too many login attempts; try again later',
          ttl > 0 ? ttl : window,
        );
      }
    }
  }

  /** A successful login clears the email's counter (the IP's keeps counting). */
  async clear(email: string): Promise<void> {
    await this.redis.del(this.key('email', email));
  }

  private key(kind: 'ip' | 'email', value: string): string {
    return `${this.config.queuePrefix}:login:${kind}:${value.toLowerCase()}`;
  }
}
