import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { TooManyRequests } from '../errors/domain-exception';
import { REDIS } from './redis.token';

/**
 * Fixed-window attempt counters in Redis, so every replica agrees: login and sign-up throttling,
 * device endpoint rate limits. A count past the limit throws 429 with Retry-After (the rest of
 * the window); Redis being down surfaces as an outage (503), never as a free pass or a 500.
 */
@Injectable()
export class AttemptCounter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one attempt of `counter` for `value`; throws TooManyRequests past `limit`. */
  async hit(
    counter: string,
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

  async clear(counter: string, value: string): Promise<void> {
    await this.redis.del(this.key(counter, value));
  }

  private key(counter: string, value: string): string {
    return `${this.config.queuePrefix}:${counter}:${value.toLowerCase()}`;
  }
}
