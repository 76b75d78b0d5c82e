import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import type { ReadingSource } from '@gridwatch/contracts';
import { DomainException, Metrics } from '@gridwatch/server';

/** Readings accepted and refused at the door, by transport (http, mqtt, modbus) and code. */
@Injectable()
export class IngestMetrics {
  private readonly accepted: Counter<'transport'>;
  private readonly rejected: Counter<'transport' | 'code'>;

  constructor(metrics: Metrics) {
    this.accepted = metrics.counter(
      'gridwatch_readings_accepted_total',
      'Readings validated and enqueued, by transport.',
      ['transport'],
    );
    this.rejected = metrics.counter(
      'gridwatch_readings_rejected_total',
      'Readings refused before the queue, by transport and error code (a whole refused request counts once).',
      ['transport', 'code'],
    );
  }

  enqueued(source: ReadingSource, readings: number, rejectedCodes: readonly string[]): void {
    this.accepted.inc({ transport: source }, readings);
    for (const code of rejectedCodes) this.rejected.inc({ transport: source, code });
  }

  refused(source: ReadingSource, error: unknown): void {
    const code = error instanceof DomainException ? error.code : 'internal_error';
    this.rejected.inc({ transport: source, code });
  }
}
