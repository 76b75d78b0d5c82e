import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import type { Counter, Histogram } from 'prom-client';
import { QueueName, type IngestJob } from '@gridwatch/contracts';
import { IngestBacklog } from '@gridwatch/ingest';
import { Metrics } from '@gridwatch/server';

/** The ingest queue's series: depth (read at each scrape), job durations, failures, lost batches. */
@Injectable()
export class IngestQueueMetrics {
  readonly jobDuration: Histogram<'outcome'>;
  readonly jobsFailed: Counter;
  readonly batchesLost: Counter;

  constructor(
    metrics: Metrics,
    @InjectQueue(QueueName.Ingest) queue: Queue<IngestJob>,
    backlog: IngestBacklog,
  ) {
    this.jobDuration = metrics.histogram(
      'gridwatch_ingest_job_duration_seconds',
      'Time to store one ingest job (readings, rollups, quality issues), by outcome.',
      ['outcome'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    );
    this.jobsFailed = metrics.counter(
      'gridwatch_ingest_jobs_failed_total',
      'Ingest jobs that failed every attempt and were parked in the failed set.',
    );
    this.batchesLost = metrics.counter(
      'gridwatch_ingest_batches_lost_total',
      'Accepted batches whose job vanished from the queue (marked lost by the sweeper).',
    );
    metrics.gauge(
      'gridwatch_ingest_queue_jobs',
      'Jobs in the ingest queue by state (waiting, active, delayed, failed, ...).',
      ['state'],
      async function collect() {
        // A scrape during a Redis outage keeps the last values rather than failing /metrics.
        const counts = await queue.getJobCounts().catch(() => undefined);
        for (const [state, count] of Object.entries(counts ?? {})) this.set({ state }, count);
      },
    );
    metrics.gauge(
      'gridwatch_ingest_backlog_readings',
      'Readings queued and not yet stored (back-pressure refuses ingest at INGEST_MAX_BACKLOG).',
      [],
      async function collect() {
        this.set(await backlog.queued());
      },
    );
  }
}
