/**
 * Samples, once a second while a phase runs: the resident memory (VmRSS of /proc/<pid>/status)
 * of the API, the worker and the transport, and the ingest queue's depth (Bull waiting + active
 * jobs, read from Redis). Keeps the largest of each.
 */
import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { QueueName } from '@gridwatch/contracts';
import type { BenchStack, Role } from './stack';

export const ROLES: readonly Role[] = ['api', 'worker', 'transport'];

export interface MonitorReport {
  /** Largest VmRSS per role, in MiB (NaN when never sampled). */
  rssMiB: Record<Role, number>;
  /** Largest waiting + active job count. */
  maxQueueJobs: number;
}

export function emptyMonitorReport(): MonitorReport {
  return { rssMiB: { api: NaN, worker: NaN, transport: NaN }, maxQueueJobs: 0 };
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
  private sampling = false;

  constructor(
    private readonly stack: BenchStack,
    redisUrl: string,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  }

  start(everyMs = 1_000): void {
    this.timer = setInterval(() => void this.sample(), everyMs);
  }

  async stop(): Promise<MonitorReport> {
    if (this.timer) clearInterval(this.timer);
    await this.sample();
    this.redis.disconnect();
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
    } catch {
      // A missed sample is not a failure.
    } finally {
      this.sampling = false;
    }
  }
}
