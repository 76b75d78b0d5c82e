import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis, { type RedisOptions } from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AttemptCounter } from './attempt-counter';
import { REDIS } from './redis.token';

export { REDIS } from './redis.token';

/**
 * Creates a client that reconnects forever and never crashes the process on a Redis outage.
 * `options` override the defaults (a subscriber passes `maxRetriesPerRequest: null`).
 */
export function createRedis(url: string, name: string, options: RedisOptions = {}): Redis {
  const logger = new Logger(`Redis:${name}`);
  const client = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 3,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
    ...options,
  });
  client.on('error', (error: Error) => logger.warn(error.message));
  return client;
}

@Injectable()
class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createRedis(config.redisUrl, 'app'),
    },
    RedisShutdown,
    AttemptCounter,
  ],
  exports: [REDIS, AttemptCounter],
})
export class RedisModule {}
