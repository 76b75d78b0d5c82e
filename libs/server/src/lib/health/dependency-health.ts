import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Module, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import type Redis from 'ioredis';
import { QueueName } from '@gridwatch/contracts';
import { DataSource } from 'typeorm';
import { ServiceUnavailable } from '../errors/domain-exception';
import { QueueModule } from '../queue/queue.module';
import { REDIS } from '../redis/redis.module';

/** A hung connection reads as down after this long, not as a hung health check. */
export const PROBE_TIMEOUT_MS = 2000;
const NOT_READY_RETRY_AFTER_SECONDS = 5;

/**
 * Liveness and readiness for every server process (@nestjs/terminus): live answers while the
 * process runs; ready checks PostgreSQL, Redis and the queue's connection (plus what the app adds, e.g. the broker) and
 * answers 503 naming each part that is down.
 */
@Injectable()
export class DependencyHealth {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @InjectQueue(QueueName.Ingest) private readonly queue: Queue,
  ) {}

  live() {
    return this.check([() => this.indicators.check('process').up({ pid: process.pid })]);
  }

  /**
   * 200 `{status: 'ok', info, details}`, or 503 in the error shape every endpoint answers, with
   * each part's state in `details.checks` and the failing ones named in the message.
   */
  async ready(extra: HealthIndicatorFunction[] = []) {
    return this.check([
      () =>
        this.indicators
          .check('database')
          .attempt(() => this.db.query('SELECT 1'))
          .withSuccessData({})
          .withTimeout(PROBE_TIMEOUT_MS),
      () =>
        this.indicators
          .check('redis')
          .attempt(() => this.redis.ping())
          .withSuccessData({})
          .withTimeout(PROBE_TIMEOUT_MS),
      // The queue's own connection: it reconnects on its own schedule after a Redis outage,
      // and ingest answers 503 until it has.
      this.flag('queue', () => this.queue.client.status === 'ready', 'queue connection not ready'),
      ...extra,
    ]);
  }

  private async check(indicators: HealthIndicatorFunction[]) {
    try {
      return await this.health.check(indicators);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const failing = Object.keys(result.error ?? {});
      throw new ServiceUnavailable(
        'service_unavailable',
        `Not ready: ${failing.join(', ')} down`,
        NOT_READY_RETRY_AFTER_SECONDS,
        { checks: result.details },
      );
    }
  }

  /** An indicator read from the process's own state (a connection flag), not a round trip. */
  flag(key: string, up: () => boolean, whenDown: string): HealthIndicatorFunction {
    return () =>
      up() ? this.indicators.check(key).up() : this.indicators.check(key).down(whenDown);
  }
}

/** Terminus plus DependencyHealth: each app's health controller imports this. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), QueueModule],
  providers: [DependencyHealth],
  exports: [DependencyHealth],
})
export class DependencyHealthModule {}
