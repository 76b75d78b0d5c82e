import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { QueueName } from '@gridwatch/contracts';
import { APP_CONFIG, type AppConfig, REDIS, ServiceUnavailable } from '@gridwatch/server';

/** How long a read of the backlog is reused: one GET per 100 ms per process, whatever the rate. */
const CACHE_MS = 100;
/** What a refused device is told to wait: long enough for the processors to make headway. */
export const BACKLOG_RETRY_AFTER_SECONDS = 5;
const RECONCILE_CHUNK = 500;

/** HSETNX makes a second reservation of the same job a no-op; answers the new total. */
const RESERVE = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  return redis.call('INCRBY', KEYS[2], ARGV[2])
end
return tonumber(redis.call('GET', KEYS[2]) or '0')`;

/** HDEL makes a second settlement of the same job a no-op; answers the new total. */
const SETTLE = `
local size = redis.call('HGET', KEYS[1], ARGV[1])
if size then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return redis.call('DECRBY', KEYS[2], size)
end
return tonumber(redis.call('GET', KEYS[2]) or '0')`;

/**
 * Settles the listed jobs Bull no longer holds as work: job hash gone (removed on completion) or
 * the job in the completed or failed set. ARGV[1] is Bull's key prefix for the queue.
 */
const RECONCILE = `
local settled = 0
for i = 2, #ARGV do
  local id = ARGV[i]
  local finished = redis.call('EXISTS', ARGV[1] .. id) == 0
    or redis.call('ZSCORE', ARGV[1] .. 'completed', id)
    or redis.call('ZSCORE', ARGV[1] .. 'failed', id)
  if finished then
    local size = redis.call('HGET', KEYS[1], id)
    if size then
      redis.call('HDEL', KEYS[1], id)
      redis.call('DECRBY', KEYS[2], size)
      settled = settled + 1
    end
  end
end
return settled`;

/**
 * How many readings are queued and not yet stored, so ingest can refuse work it cannot absorb
 * (back-pressure) and Redis memory stays bounded. A hash maps each queued job to its reading count
 * and a counter holds their sum; both change together in one script, so a job is counted once
 * when enqueued and uncounted once when it completes or is parked, however often Bull re-runs it
 * or reports it. Jobs whose end no process reported (a worker died between Bull's completion and
 * the settlement) are found by `reconcile`, which every worker runs periodically.
 */
@Injectable()
export class IngestBacklog {
  private readonly logger = new Logger('IngestBacklog');
  private readonly jobsKey: string;
  private readonly totalKey: string;
  private readonly bullPrefix: string;
  private cached = { readings: 0, at: -Infinity };
  private reading?: Promise<number>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.jobsKey = `${config.queuePrefix}:ingest-backlog:jobs`;
    this.totalKey = `${config.queuePrefix}:ingest-backlog:readings`;
    this.bullPrefix = `${config.queuePrefix}:${QueueName.Ingest}:`;
  }

  /** Throws 503 ingest_backlog_full while the queue holds INGEST_MAX_BACKLOG readings or more. */
  async ensureRoom(): Promise<void> {
    const queued = await this.queued();
    if (queued < this.config.ingestMaxBacklog) return;
    throw new ServiceUnavailable(
      'ingest_backlog_full',
      `The ingest queue is full (${queued} readings waiting); retry in ${BACKLOG_RETRY_AFTER_SECONDS} s`,
      BACKLOG_RETRY_AFTER_SECONDS,
    );
  }

  /**
   * Readings queued, at most CACHE_MS old. A failed read answers the last known value: when Redis
   * is really down, the enqueue that follows fails and says so.
   */
  async queued(): Promise<number> {
    if (performance.now() - this.cached.at < CACHE_MS) return this.cached.readings;
    this.reading ??= this.redis
      .get(this.totalKey)
      .then((value) => this.remember(Number(value ?? 0)))
      .catch((error: Error) => {
        this.logger.warn(`could not read the backlog: ${error.message}`);
        return this.cached.readings;
      })
      .finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** Counts a job that was just enqueued. */
  async reserve(jobId: string, readings: number): Promise<void> {
    const total = await this.redis.eval(RESERVE, 2, this.jobsKey, this.totalKey, jobId, readings);
    this.remember(Number(total));
  }

  /** Uncounts a job that completed or was parked for good; a repeat changes nothing. */
  async settle(jobId: string): Promise<void> {
    const total = await this.redis.eval(SETTLE, 2, this.jobsKey, this.totalKey, jobId);
    this.remember(Number(total));
  }

  /** Settles counted jobs that Bull finished without anyone settling them; answers how many. */
  async reconcile(): Promise<number> {
    let cursor = '0';
    let settled = 0;
    do {
      const [next, ids] = await this.redis.hscan(this.jobsKey, cursor, 'COUNT', RECONCILE_CHUNK);
      cursor = next;
      const jobIds = ids.filter((_, index) => index % 2 === 0);
      if (jobIds.length === 0) continue;
      const count = await this.redis.eval(
        RECONCILE,
        2,
        this.jobsKey,
        this.totalKey,
        this.bullPrefix,
        ...jobIds,
      );
      settled += Number(count);
    } while (cursor !== '0');
    if (settled > 0) this.cached.at = -Infinity;
    return settled;
  }

  private remember(readings: number): number {
    this.cached = { readings, at: performance.now() };
    return readings;
  }
}
