import { Injectable } from '@nestjs/common';
import type { BreakerState } from './circuit-breaker';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { Metrics } from '@gridwatch/server';

const BREAKER_VALUE: Readonly<Record<BreakerState, number>> = { closed: 0, half_open: 1, open: 2 };
const POLL_RESULTS = ['ok', 'partial', 'failed'] as const;
export type PollResult = (typeof POLL_RESULTS)[number];

/** The Modbus poller's Prometheus metrics. */
@Injectable()
export class ModbusMetrics {
  readonly polls: Counter<string>;
  readonly pollDuration: Histogram<string>;
  readonly breakerState: Gauge<string>;
  readonly requests: Counter<string>;
  readonly readings: Counter<string>;
  readonly ingestFailures: Counter<string>;
  readonly readingsDropped: Counter<string>;
  readonly readingsHeld: Gauge<string>;
  readonly gateways: Gauge<string>;
  readonly inFlight: Gauge<string>;
  readonly openConnections: Gauge<string>;

  constructor(registry: Metrics) {
    this.polls = registry.counter(
      'gridwatch_modbus_polls_total',
      'Modbus gateway polls by gateway and result (ok, partial, failed).',
      ['gateway', 'result'],
    );
    this.pollDuration = registry.histogram(
      'gridwatch_modbus_poll_duration_seconds',
      'Duration of one poll of one gateway, retries included.',
      ['result'],
      [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    );
    this.breakerState = registry.gauge(
      'gridwatch_modbus_breaker_state',
      'Circuit breaker per gateway: 0 closed, 1 half-open, 2 open (gateway offline).',
      ['gateway'],
    );
    this.requests = registry.counter(
      'gridwatch_modbus_requests_total',
      'Modbus request attempts by result (ok, connect, timeout, connection, exception).',
      ['result'],
    );
    this.readings = registry.counter(
      'gridwatch_modbus_readings_total',
      'Readings read from meters and handed to the ingest pipeline.',
    );
    this.ingestFailures = registry.counter(
      'gridwatch_modbus_ingest_failures_total',
      'Polled batches the ingest pipeline refused (an outage of the queue holds them for a retry instead).',
    );
    this.readingsDropped = registry.counter(
      'gridwatch_modbus_readings_dropped_total',
      'Polled readings given up: over the retry buffer bound (overflow) or refused while retried.',
      ['why'],
    );
    this.readingsHeld = registry.gauge(
      'gridwatch_modbus_readings_buffered',
      'Polled readings waiting in the retry buffer for the ingest queue to come back.',
    );
    this.gateways = registry.gauge(
      'gridwatch_modbus_gateways',
      'modbus_tcp gateways scheduled for polling.',
    );
    this.inFlight = registry.gauge(
      'gridwatch_modbus_polls_in_flight',
      'Polls running now (at most MODBUS_MAX_CONCURRENT_GATEWAYS).',
    );
    this.openConnections = registry.gauge(
      'gridwatch_modbus_open_connections',
      'Modbus TCP connections open now; never more than the polls in flight.',
    );
  }

  poll(serialNumber: string, result: PollResult, seconds: number): void {
    this.polls.inc({ gateway: serialNumber, result });
    this.pollDuration.observe({ result }, seconds);
  }

  setBreaker(serialNumber: string, state: BreakerState): void {
    this.breakerState.set({ gateway: serialNumber }, BREAKER_VALUE[state]);
  }

  forgetGateway(serialNumber: string): void {
    this.breakerState.remove({ gateway: serialNumber });
    for (const result of POLL_RESULTS) this.polls.remove({ gateway: serialNumber, result });
  }
}
