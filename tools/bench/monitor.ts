/**
 * Samples, once a second while a phase runs: the resident memory (VmRSS of /proc/<pid>/status)
 * of the API, the worker and the transport, the ingest queue's depth (Bull waiting + active
 * jobs, read from Redis) and the rollup lag (the age of the oldest stored reading the rollup
 * step has not folded yet: what gridwatch_rollup_lag_seconds reports). Keeps the largest of each.
 */
import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { QueueName } from '@gridwatch/contracts';
import type { BenchStack, Role } from './stack';

export const ROLES: readonly Role[] = ['api', 'worker', 'transport'];

export interface MonitorReport {
  /** Largest VmRSS per role, in MiB (NaN when never sampled). */
  rssMiB: Record<Role, number>;
  /** Largest waiting + active job count. */
  maxQueueJobs: number;
  /** Largest rollup lag seen, in seconds. */
  maxRollupLagSeconds: number;
}

export function emptyMonitorReport(): MonitorReport {
  return {
    rssMiB: { api: NaN, worker: NaN, transport: NaN },
    maxQueueJobs: 0,
    maxRollupLagSeconds: 0,
  };
}

/** The larger of each figure of two reports. */
export function mergeMonitorReports(a: MonitorReport, b: MonitorReport): MonitorReport {
  const max = (x: number, y: number): number =>
    Number.isNaN(x) ? y : Number.isNaN(y) ? x : Math.max(x, y);
  return {
    rssMiB: {
      api: max(a.rssMiB.api, b.rssMiB.api),
      worker: max(a.rssMiB.worker, b.rssMiB.worker),
      transport: max(a.rssMiB.transport, b.rssMiB.transport),
    },
    maxQueueJobs: Math.max(a.maxQueueJobs, b.maxQueueJobs),
    maxRollupLagSeconds: Math.max(a.maxRollupLagSeconds, b.maxRollupLagSeconds),
  };
}

export function rssMiBOf(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('VmRSS:'));
    const kiB = line ? Number(line.replace(/\D+/g, '')) : NaN;
    return kiB / 1024;
  } catch {
    return NaN;
  }
}

export class Monitor {
  readonly report = emptyMonitorReport();
  private timer: NodeJS.Timeout | null = null;
  private readonly redis: Redis;
  private readonly db: Pool;
  private sampling = false;

  constructor(
    private readonly stack: BenchStack,
    redisUrl: string,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    this.db = new Pool({ connectionString: stack.databaseUrl, max: 1 });
  }

  start(everyMs = 1_000): void {
    this.timer = setInterval(() => void this.sample(), everyMs);
  }

  async stop(): Promise<MonitorReport> {
    if (this.timer) clearInterval(this.timer);
    await this.sample();
    this.redis.disconnect();
    await this.db.end();
    return this.report;
  }

  private async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      for (const role of ROLES) {
        const pid = this.stack.pid(role);
        if (pid === undefined) continue;
        const rss = rssMiBOf(pid);
        if (!Number.isNaN(rss))
          this.report.rssMiB[role] = Number.isNaN(this.report.rssMiB[role])
            ? rss
            : Math.max(this.report.rssMiB[role], rss);
      }
      const key = `${this.stack.queuePrefix}:${QueueName.Ingest}`;
      const [waiting, active] = await Promise.all([
        this.redis.llen(`${key}:wait`),
        this.redis.llen(`${key}:active`),
      ]);
      this.report.maxQueueJobs = Math.max(this.report.maxQueueJobs, waiting + active);
      const { rows } = await this.db.query<{ lag: number }>(
        'SELECT coalesce(extract(epoch FROM now() - min(marked_at)), 0)::float8 AS lag FROM rollup_dirty',
      );
      this.report.maxRollupLagSeconds = Math.max(
        this.report.maxRollupLagSeconds,
        rows[0]?.lag ?? 0,
      );
    } catch {
      // A missed sample is not a failure.
    } finally {
      this.sampling = false;
    }
  }
}
