/**
 * `npm run bench`: the ingest benchmark of issue 9 item 4, one table. See tools/bench/README.md.
 *
 *   npx nx run-many -t build -p api transport && node -r ./tools/register.js tools/bench/run.ts [--full]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { acceptedRate, runRestLoad } from './rest-load';
import { RowCounter, countReadings, slopePerSecond, step, warn, withPostgres } from './common';
import { measureCopyLimit, measureLimit, type LimitReport } from './copy-limit';
import { login, runLatency, type LatencyReport } from './latency';
import {
  Monitor,
  ROLES,
  emptyMonitorReport,
  mergeMonitorReports,
  type MonitorReport,
} from './monitor';
import { runMqttLoad } from './mqtt-load';
import { runQueries, type QueryReport } from './queries';
import { ReadingSource, createFleet } from './readings';
import { integer, machine, ms, percentiles, ratio, renderTable, verdict, type Row } from './report';
import { BenchStack, NotBuiltError } from './stack';
import { ManagementClient } from '../simulators/management-client';

const USAGE = `Usage: npm run bench [-- options]
  --full               the long version: longer windows, and queries over 10 million readings
  --rest-seconds S     REST measurement window after a 5 s warm-up (default 60; --full 120)
  --mqtt-seconds S     MQTT measurement window after a 5 s warm-up (default 30; --full 60)
  --latency-seconds S  latency measurement at --rate after a 3 s warm-up (default 20; --full 60)
  --rate N             readings/s of the latency phase (default 2000)
  --gateways N         gateways (default 4), each with
  --meters N           meters (default 50)
  --concurrency N      REST requests in flight (default 8)
  --postgres URL       server for the bench database (default postgres://postgres@127.0.0.1:5432)
  --redis URL          (default $REDIS_URL or redis://127.0.0.1:6379)
  --mqtt URL           broker (default $MQTT_URL or mqtt://127.0.0.1:1883)
  --node-options=FLAGS NODE_OPTIONS of the API, worker and transport (default: the heap budget
                       docker/Dockerfile and tools/start.sh ship, --max-old-space-size=192
                       --max-semi-space-size=32;
                       --node-options= measures V8's own heap sizing)
  --keep               keep the database and Redis keys afterwards
  -h, --help`;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The heap budget docker/Dockerfile and tools/start.sh give the API, workers and transport. */
const SHIPPED_NODE_OPTIONS = '--max-old-space-size=192 --max-semi-space-size=32';

class UsageError extends Error {}

interface Options {
  full: boolean;
  restMs: number;
  mqttMs: number;
  latencyMs: number;
  rate: number;
  gateways: number;
  meters: number;
  concurrency: number;
  postgres: string;
  redis: string;
  mqtt: string;
  nodeOptions: string;
  keep: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      full: { type: 'boolean', default: false },
      'rest-seconds': { type: 'string' },
      'mqtt-seconds': { type: 'string' },
      'latency-seconds': { type: 'string' },
      rate: { type: 'string', default: '2000' },
      gateways: { type: 'string', default: '4' },
      meters: { type: 'string', default: '50' },
      concurrency: { type: 'string', default: '8' },
      postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
      redis: { type: 'string', default: process.env['REDIS_URL'] || 'redis://127.0.0.1:6379' },
      mqtt: { type: 'string', default: process.env['MQTT_URL'] || 'mqtt://127.0.0.1:1883' },
      'node-options': { type: 'string', default: SHIPPED_NODE_OPTIONS },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (text: string | undefined, fallback: number, name: string): number => {
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(value) || value <= 0)
      throw new UsageError(`${name} must be a positive number`);
    return value;
  };
  const full = values.full;
  return {
    full,
    restMs: number(values['rest-seconds'], full ? 120 : 60, '--rest-seconds') * 1000,
    mqttMs: number(values['mqtt-seconds'], full ? 60 : 30, '--mqtt-seconds') * 1000,
    latencyMs: number(values['latency-seconds'], full ? 60 : 20, '--latency-seconds') * 1000,
    rate: number(values.rate, 2000, '--rate'),
    gateways: Math.round(number(values.gateways, 4, '--gateways')),
    meters: Math.round(number(values.meters, 50, '--meters')),
    concurrency: Math.round(number(values.concurrency, 8, '--concurrency')),
    postgres: values.postgres.replace(/\/+$/, ''),
    redis: values.redis,
    mqtt: values.mqtt,
    nodeOptions: values['node-options'],
    keep: values.keep,
  };
}

interface ThroughputFigure {
  persistedPerSecond: number;
  /** accepted (REST 202) or published (MQTT PUBACK) per second over the same window. */
  offeredPerSecond: number;
  persistedInWindow: number;
  windowSeconds: number;
  notes: string[];
}

/** Runs `load` while counting rows; the persisted rate is the slope over the window after warm-up. */
async function measureThroughput(
  stack: BenchStack,
  monitor: Monitor,
  warmupMs: number,
  windowMs: number,
  load: (
    untilMs: number,
  ) => Promise<{ offeredInWindow: (from: number, to: number) => number; notes: string[] }>,
): Promise<ThroughputFigure> {
  const counter = new RowCounter(stack.databaseUrl, 2_000);
  monitor.start();
  counter.start();
  const started = performance.now();
  const windowFrom = started + warmupMs;
  const windowTo = windowFrom + windowMs;
  const outcome = await load(windowTo);
  await counter.stop();
  const samples = counter.between(windowFrom, windowTo + 1_000);
  const persistedInWindow =
    samples.length > 1 ? samples[samples.length - 1].count - samples[0].count : NaN;
  return {
    persistedPerSecond: slopePerSecond(samples),
    offeredPerSecond: outcome.offeredInWindow(windowFrom, windowTo),
    persistedInWindow,
    windowSeconds: windowMs / 1000,
    notes: outcome.notes,
  };
}

function topProblems(problems: Map<string, number>): string[] {
  return [...problems]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([problem, count]) => `${problem} (x${count})`);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const stack = new BenchStack({
    postgres: options.postgres,
    redisUrl: options.redis,
    mqttUrl: options.mqtt,
    keep: options.keep,
    extraEnv: { NODE_OPTIONS: options.nodeOptions },
  });
  const interrupt = (signal: string): void => {
    if (interrupted) return;
    interrupted = true;
    warn(`${signal}: cleaning up`);
    // The phase still running fails as its processes and database go away: nothing to report.
    process.on('unhandledRejection', () => undefined);
    process.on('uncaughtException', () => undefined);
    void stack.tearDown().finally(() => process.exit(130));
  };
  process.once('SIGINT', () => interrupt('SIGINT'));
  process.once('SIGTERM', () => interrupt('SIGTERM'));
  const began = Date.now();
  const loadAtStart = loadavg()[0];
  let monitored: MonitorReport = emptyMonitorReport();
  const notes: string[] = [];
  try {
    await stack.setUp();
    const postgresVersion = await withPostgres(stack.databaseUrl, async (db) => {
      const { rows } = await db.query<{ server_version: string }>('SHOW server_version');
      return `PostgreSQL ${rows[0].server_version}`;
    });

    // --- REST ---
    await stack.startServices('rest');
    const client = await ManagementClient.login(stack.api, stack.owner.email, stack.owner.password);
    const fleet = await createFleet(client, options.gateways, options.meters, stack.id.slice(-10));
    const gateways = fleet.gateways;
    step(`fleet: ${gateways.length} gateways x ${options.meters} meters`);
    const now = Date.now();
    const restSource = new ReadingSource(gateways, now - 6 * DAY, 10_000, 1_000);
    let monitor = new Monitor(stack, options.redis);
    step(`REST: full speed for 5 s + ${options.restMs / 1000} s`);
    const rest = await measureThroughput(stack, monitor, 5_000, options.restMs, async (until) => {
      const report = await runRestLoad(stack.api, restSource, options.concurrency, until);
      return {
        offeredInWindow: (from, to) => acceptedRate(report.accepts, from, to),
        notes: [
          `REST: ${report.requests} requests, ${report.pushedBack} pushed back (503/429 + Retry-After), ` +
            `${report.retried} retried, ${report.rejected} readings rejected, ${report.failed} failed`,
          ...topProblems(report.problems).map((problem) => `REST: ${problem}`),
        ],
      };
    });
    const restMonitor = await monitor.stop();
    monitored = mergeMonitorReports(monitored, restMonitor);
    notes.push(...rest.notes);
    await stack.stopServices();

    // --- MQTT ---
    await stack.startServices('mqtt');
    const mqttSource = new ReadingSource(gateways, now - 3 * DAY, 10_000, 1_000);
    monitor = new Monitor(stack, options.redis);
    step(`MQTT: full speed for 5 s + ${options.mqttMs / 1000} s`);
    const mqtt = await measureThroughput(stack, monitor, 5_000, options.mqttMs, async (until) => {
      const started = performance.now();
      const report = await runMqttLoad(options.mqtt, stack.id, gateways, mqttSource, 4, until);
      const seconds = (performance.now() - started) / 1000;
      return {
        offeredInWindow: () => report.published / seconds,
        notes: [
          `MQTT: ${report.messages} messages (${report.published} readings) acknowledged by the broker, ${report.failed} readings failed`,
          ...topProblems(report.problems).map((problem) => `MQTT: ${problem}`),
        ],
      };
    });
    const mqttMonitor = await monitor.stop();
    monitored = mergeMonitorReports(monitored, mqttMonitor);
    notes.push(...mqtt.notes);
    await stack.stopServices();

    // --- latency ---
    await stack.startServices('latency');
    const token = await login(stack.api, stack.owner.email, stack.owner.password);
    monitor = new Monitor(stack, options.redis);
    monitor.start();
    step(`latency: ${options.rate} readings/s for 3 s + ${options.latencyMs / 1000} s`);
    const latency: LatencyReport = await runLatency({
      api: stack.api,
      token,
      databaseUrl: stack.databaseUrl,
      gateways,
      source: new ReadingSource(gateways, Date.now() - 2 * HOUR, 1_000, 1_000),
      ratePerSecond: options.rate,
      warmupMs: 3_000,
      measureMs: options.latencyMs,
    });
    const latencyMonitor = await monitor.stop();
    monitored = mergeMonitorReports(monitored, latencyMonitor);
    // Before the queries phase, which writes its 10 M readings by SQL, not through batches.
    const stored = await countReadings(stack.databaseUrl);

    // --- queries (--full) ---
    let queries: QueryReport | null = null;
    if (options.full) {
      monitor = new Monitor(stack, options.redis);
      monitor.start();
      queries = await runQueries(stack, token, gateways);
      monitored = mergeMonitorReports(monitored, await monitor.stop());
    }
    await stack.stopServices();

    // --- the limit ---
    step('limit: binary COPY, 4 connections for 10 s');
    const limit: LimitReport = await measureCopyLimit(
      stack.databaseUrl,
      new ReadingSource(gateways, now - 6 * DAY, 10_000, 1_000),
      4,
      10_000,
    );
    step("limit: the processor's INSERT statement, 4 connections for 10 s");
    const insertLimit: LimitReport = await measureLimit(
      stack.databaseUrl,
      new ReadingSource(gateways, now - 6 * DAY, 10_000, 1_000),
      4,
      10_000,
    );

    const rows: Row[] = [
      {
        measure: `REST persisted/s (slope over ${rest.windowSeconds} s, batches of 1,000)`,
        figure: integer(rest.persistedPerSecond),
        target: '>= 50,000/s',
        met: verdict(rest.persistedPerSecond, (v) => v >= 50_000),
      },
      {
        measure: 'REST accepted/s (HTTP 202, same window)',
        figure: integer(rest.offeredPerSecond),
      },
      {
        measure: `MQTT persisted/s (slope over ${mqtt.windowSeconds} s, MQTT 5, QoS 1)`,
        figure: integer(mqtt.persistedPerSecond),
        target: '>= 20,000/s',
        met: verdict(mqtt.persistedPerSecond, (v) => v >= 20_000),
      },
      { measure: 'MQTT published/s (broker PUBACK)', figure: integer(mqtt.offeredPerSecond) },
      { measure: `limit: ${limit.method}`, figure: `${integer(limit.rowsPerSecond)}/s` },
      {
        measure: `${insertLimit.method} (no API, queue, rollups)`,
        figure: `${integer(insertLimit.rowsPerSecond)}/s (${ratio(insertLimit.rowsPerSecond, limit.rowsPerSecond)})`,
      },
      {
        measure: 'REST persisted / limit',
        figure: ratio(rest.persistedPerSecond, limit.rowsPerSecond),
      },
      {
        measure: 'MQTT persisted / limit',
        figure: ratio(mqtt.persistedPerSecond, limit.rowsPerSecond),
      },
      {
        measure: `request -> reading.received at ${integer(latency.ratePerSecond)}/s`,
        figure: percentiles(latency.websocket),
        target: 'p95 < 100 ms',
        met: verdict(latency.websocket.p95, (v) => v < 100),
      },
      {
        measure: `request -> row queryable at ${integer(latency.ratePerSecond)}/s`,
        figure: percentiles(latency.queryable),
        target: 'p95 < 1 s',
        met: verdict(latency.queryable.p95, (v) => v < 1_000),
      },
      {
        measure: `request -> raw and rollups queryable at ${integer(latency.ratePerSecond)}/s`,
        figure: percentiles(latency.inRollups),
        target: 'p95 < 1 s',
        met: verdict(latency.inRollups.p95, (v) => v < 1_000),
      },
      {
        measure: 'max rollup lag (oldest unfolded reading), REST / MQTT / latency',
        figure: `${restMonitor.maxRollupLagSeconds.toFixed(1)} s / ${mqttMonitor.maxRollupLagSeconds.toFixed(1)} s / ${latencyMonitor.maxRollupLagSeconds.toFixed(1)} s`,
        target: '<= 2 s',
        met: verdict(restMonitor.maxRollupLagSeconds, (v) => v <= 2),
      },
    ];
    if (queries) rows.push(...queries.rows);
    for (const role of ROLES) {
      rows.push({
        measure: `max RSS ${role}${role === 'worker' ? ' (PROCESS_MODE=worker)' : role === 'api' ? ' (PROCESS_MODE=api)' : ''}`,
        figure: Number.isFinite(monitored.rssMiB[role])
          ? `${monitored.rssMiB[role].toFixed(0)} MiB`
          : 'n/a',
        target: '< 300 MiB',
        met: verdict(monitored.rssMiB[role], (v) => v < 300),
      });
    }
    rows.push({
      measure: 'max queue depth (Bull waiting + active jobs)',
      figure: `${integer(monitored.maxQueueJobs)} jobs (REST ${integer(restMonitor.maxQueueJobs)}, MQTT ${integer(mqttMonitor.maxQueueJobs)}, latency ${integer(latencyMonitor.maxQueueJobs)})`,
    });
    const who = machine(postgresVersion, loadAtStart);
    const command = `npm run bench${process.argv.slice(2).length ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
    console.log(
      '\n' +
        renderTable(
          `GridWatch ingest benchmark (${new Date(began).toISOString()}, ${((Date.now() - began) / 1000).toFixed(0)} s)`,
          who,
          command,
          rows,
        ),
    );
    const details = [
      `REST window: ${integer(rest.persistedInWindow)} rows persisted; MQTT window: ${integer(mqtt.persistedInWindow)}`,
      `latency: ${latency.batches} batches of ${latency.readingsPerBatch} readings, ${latency.failedRequests} failed, ` +
        `${latency.missingEvents} without an event, ${latency.missingRows} without a row and ${latency.missingRollups} not in rollups within 5 s (all count as "timeout")`,
      `limit: ${integer(limit.rows)} rows by COPY in ${limit.seconds.toFixed(1)} s, ${integer(insertLimit.rows)} by INSERT in ${insertLimit.seconds.toFixed(1)} s; ${integer(stored.rows)} readings stored in all, ${stored.rows === stored.credited ? 'equal to' : `NOT equal to (${integer(stored.credited)})`} the rows credited to batches (the persisted/s counter)`,
      `services ran with NODE_OPTIONS=${options.nodeOptions || '(none: V8 sizes the heap by the machine)'}`,
      ...notes,
    ];
    console.log(details.map((line) => `  ${line}`).join('\n'));
    const measured = [rest.persistedPerSecond, mqtt.persistedPerSecond, limit.rowsPerSecond].every(
      Number.isFinite,
    );
    if (!measured) warn('some figures could not be measured (n/a)');
    if (latency.missingEvents >= latency.batches && latency.missingRows >= latency.batches) {
      warn('no batch of the latency phase arrived, neither as an event nor as a row');
      return 1;
    }
    return measured ? 0 : 1;
  } finally {
    // Memoised: after a signal this waits for the cleanup the handler started.
    await stack.tearDown();
  }
}

let interrupted = false;

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (interrupted) process.exit(130);
    console.error(
      error instanceof UsageError
        ? `${error.message}\n\n${USAGE}`
        : error instanceof NotBuiltError
          ? error.message
          : error,
    );
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
