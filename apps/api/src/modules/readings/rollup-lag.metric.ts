import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Gauge, register } from 'prom-client';
import { ReadingsRepository } from './readings.repository';

export const ROLLUP_LAG_METRIC = 'gridwatch_rollup_lag_seconds';

/** The live apps' lag reads: one per process in production; tests start several apps in one. */
const lagSources = new Set<() => Promise<number>>();

/** The gauge on prom-client's default register, made once per process. */
function rollupLagGauge(): Gauge {
  const existing = register.getSingleMetric(ROLLUP_LAG_METRIC);
  if (existing) return existing as Gauge;
  return new Gauge({
    name: ROLLUP_LAG_METRIC,
    help: 'Age of the oldest stored reading whose rollups are not yet folded, in seconds (0: up to date)',
    async collect() {
      const [source] = lagSources;
      if (!source) return;
      // A failed read keeps the last value: the scrape of every other metric must not fail with it.
      await source().then(
        (seconds) => this.set(seconds),
        () => undefined,
      );
    },
  });
}

/**
 * `gridwatch_rollup_lag_seconds`: how far rollups are behind raw readings, read from the dirty
 * set when the default register is collected (any process can report it: the set is shared).
 */
@Injectable()
export class RollupLagMetric implements OnModuleInit, OnModuleDestroy {
  private readonly source = () => this.readings.rollupLagSeconds();

  constructor(private readonly readings: ReadingsRepository) {}

  onModuleInit(): void {
    rollupLagGauge();
    lagSources.add(this.source);
  }

  onModuleDestroy(): void {
    lagSources.delete(this.source);
  }
}
