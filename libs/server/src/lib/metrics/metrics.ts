import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DynamicModule, Global, Injectable, Module } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  register,
  Registry,
  type CollectFunction,
} from 'prom-client';

/** Request durations in seconds: a cached read, a query, a bulk enqueue, a CSV export. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The process's Prometheus series (prom-client). Asking twice for a name returns the metric
 * already registered, so several modules (and several test apps in one process) can declare
 * what they use.
 */
@Injectable()
export class Metrics {
  constructor(readonly registry: Registry) {}

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.existing<Counter<L>>(name) ?? new Counter({ ...this.base(name, help), labelNames });
  }

  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    collect?: CollectFunction<Gauge<L>>,
  ): Gauge<L> {
    return (
      this.existing<Gauge<L>>(name) ?? new Gauge({ ...this.base(name, help), labelNames, collect })
    );
  }

  histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets: number[] = HTTP_BUCKETS,
  ): Histogram<L> {
    return (
      this.existing<Histogram<L>>(name) ??
      new Histogram({ ...this.base(name, help), labelNames, buckets })
    );
  }

  /** The exposition text, for GET /metrics. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** express middleware: one observation per answered request, by route pattern and status. */
  httpDurations() {
    const duration = this.histogram(
      'gridwatch_http_request_duration_seconds',
      'HTTP request duration by method, route pattern and status.',
      ['method', 'route', 'status'],
    );
    return (request: Request, response: Response, next: NextFunction) => {
      const end = duration.startTimer();
      response.once('finish', () => {
        const route = request.route as { path?: string } | undefined;
        end({
          method: request.method,
          route: route?.path ? `${request.baseUrl}${route.path}` : 'unmatched',
          status: String(response.statusCode),
        });
      });
      next();
    };
  }

  private existing<T>(name: string): T | undefined {
    return this.registry.getSingleMetric(name) as T | undefined;
  }

  private base(name: string, help: string) {
    return { name, help, registers: [this.registry] };
  }
}

/**
 * `MetricsModule.forRoot('global')`: prom-client's default `register` (the API: other modules
 * register on it directly); `'own'`: a registry per application (the transport: several
 * instances in one test process each count their own). Node process metrics on either.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(registry: 'global' | 'own'): DynamicModule {
    return {
      module: MetricsModule,
      providers: [
        {
          provide: Metrics,
          useFactory: () =>
            new Metrics(withDefaultMetrics(registry === 'global' ? register : new Registry())),
        },
      ],
      exports: [Metrics],
    };
  }
}

function withDefaultMetrics(registry: Registry): Registry {
  if (!registry.getSingleMetric('process_cpu_user_seconds_total')) {
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}

/**
 * A plain HTTP server for Prometheus on its own interface and port (METRICS_HOST, METRICS_PORT),
 * never the public one: GET /metrics, nothing else. Port 0 picks a free one (tests).
 */
export async function serveMetrics(metrics: Metrics, host: string, port: number): Promise<Server> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    metrics.render().then(
      (text) => response.writeHead(200, { 'Content-Type': metrics.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** express handler for GET /metrics on the public port, only to `Authorization: Bearer <token>`. */
export function metricsBehindToken(metrics: Metrics, token: string) {
  const expected = Buffer.from(`Bearer ${token}`);
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET') return next();
    const given = Buffer.from(request.header('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      response.status(401).json({
        statusCode: 401,
        error: 'unauthenticated',
        message: 'GET /metrics needs the metrics bearer token',
      });
      return;
    }
    metrics.render().then(
      (text) => response.type(metrics.contentType).send(text),
      (error: unknown) => next(error),
    );
  };
}
