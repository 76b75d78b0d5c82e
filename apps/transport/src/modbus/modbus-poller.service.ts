import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { Quality, ReadingSource } from '@gridwatch/contracts';
import { APP_CONFIG, AppConfig, REDIS, type GatewayEntity } from '@gridwatch/server';
import { GatewayStatusWriter, IngestPipeline, ModbusHostPolicy } from '@gridwatch/ingest';
import { CircuitBreaker, type BreakerState } from './circuit-breaker';
import { CommunicationIssuesRepository } from './communication-issues.repository';
import { ConcurrencyLimit } from './concurrency-limit';
import { isTransientFailure } from '../transient-failure';
import { GatewayPoller, type PollFailure, type PollOutcome } from './gateway-poller';
import { IngestRetryBuffer } from './ingest-retry-buffer';
import { ModbusGatewaysRepository, type ModbusGatewayConfig } from './modbus-gateways.repository';
import { ModbusTcpConnection, type ModbusConnector } from './modbus-tcp-connection';
import { ModbusMetrics } from './modbus.metrics';

/** How often due gateways are looked for; intervals are at least MODBUS_MIN_INTERVAL_SECONDS. */
const TICK_MS = 1000;
/** When Redis cannot say who polls a gateway, ask again this soon. */
const CLAIM_RETRY_MS = 5000;
/**
 * Polled readings held while the ingest queue is unavailable, over all gateways: half an hour of
 * 16 gateways x 10 meters x 8 parameters polled every 5 s, a few MiB.
 */
export const MAX_BUFFERED_READINGS = 50_000;
const RETRY_FIRST_DELAY_MS = 1000;
const RETRY_MAX_DELAY_MS = 60_000;

interface GatewaySchedule {
  config: ModbusGatewayConfig;
  intervalMs: number;
  breaker: CircuitBreaker;
  nextDueAt: number;
  lastStartedAt: number | null;
  running: boolean;
}

/** One gateway's place in the schedule, for health and operators. */
export interface GatewayScheduleView {
  gatewayId: string;
  serialNumber: string;
  intervalSeconds: number;
  meters: number;
  nextDueAt: string;
  running: boolean;
  breaker: BreakerState;
  consecutiveFailures: number;
}

/**
 * Polls every modbus_tcp gateway on its interval. Gateways run in parallel under
 * MODBUS_MAX_CONCURRENT_GATEWAYS, each in its own poll, so a dead or slow gateway only ever holds
 * its own slot; a gateway is never polled twice at once. The configuration is re-read every
 * MODBUS_RELOAD_SECONDS, so a new gateway or a changed interval applies without a restart. With
 * several transports running, a Redis claim per gateway and interval lets exactly one poll it.
 */
@Injectable()
export class ModbusPollerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ModbusPoller');
  private readonly schedules = new Map<string, GatewaySchedule>();
  private readonly limit: ConcurrencyLimit;
  private readonly poller: GatewayPoller;
  private readonly retries: IngestRetryBuffer;
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly gateways: ModbusGatewaysRepository,
    private readonly status: GatewayStatusWriter,
    private readonly issues: CommunicationIssuesRepository,
    private readonly pipeline: IngestPipeline,
    private readonly metrics: ModbusMetrics,
  ) {
    this.limit = new ConcurrencyLimit(config.modbusMaxConcurrentGateways);
    this.poller = new GatewayPoller({
      connect: this.connect,
      hosts: new ModbusHostPolicy(config.modbusAllowedNetworks),
      timeoutMs: config.modbusTimeoutMs,
      retries: config.modbusRetries,
      retryBackoffMs: config.modbusRetryBackoffMs,
      signal: this.abort.signal,
      onRequest: (result) => metrics.requests.inc({ result }),
    });
    this.retries = new IngestRetryBuffer({
      maxReadings: MAX_BUFFERED_READINGS,
      firstDelayMs: RETRY_FIRST_DELAY_MS,
      maxDelayMs: RETRY_MAX_DELAY_MS,
      isTransient: isTransientFailure,
      onDropped: (readings, why) => {
        metrics.readingsDropped.inc({ why }, readings);
        this.logger.warn(`dropped ${readings} polled readings (${why})`);
      },
      onHeld: (readings) => metrics.readingsHeld.set({}, readings),
    });
  }

  /** Polled readings waiting for the ingest queue (for health and tests). */
  get readingsBuffered(): number {
    return this.retries.readings;
  }

  onApplicationBootstrap(): void {
    if (!this.config.modbusPollerEnabled) {
      this.logger.log('Modbus polling is off (MODBUS_POLLER_ENABLED=false)');
      return;
    }
    const reload = () =>
      this.reload().catch((error: Error) => this.logger.warn(`reload failed: ${error.message}`));
    void reload().then(() => this.tick());
    this.timers.push(
      setInterval(() => void reload(), this.config.modbusReloadSeconds * 1000),
      setInterval(() => this.tick(), TICK_MS),
    );
    for (const timer of this.timers) timer.unref();
  }

  /** Stops scheduling and waits for running polls, which end at their next request or backoff. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.retries.close();
    for (const timer of this.timers) clearInterval(timer);
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Re-reads gateways and meters: adds, updates and drops schedules. */
  async reload(now = Date.now()): Promise<void> {
    const configs = await this.gateways.load();
    const current = new Set(configs.map((config) => config.gateway.id));
    for (const [id, schedule] of this.schedules) {
      if (current.has(id)) continue;
      this.schedules.delete(id);
      this.metrics.forgetGateway(schedule.config.gateway.serialNumber);
    }
    for (const config of configs) this.schedule(config, now);
    this.metrics.gateways.set({}, this.schedules.size);
  }

  /** Starts the poll of every due gateway without waiting for it; returns the started polls. */
  tick(now = Date.now()): Array<Promise<void>> {
    if (this.stopping) return [];
    const started: Array<Promise<void>> = [];
    for (const schedule of this.schedules.values()) {
      if (schedule.running || schedule.nextDueAt > now) continue;
      if (!schedule.breaker.allows(now)) continue;
      this.metrics.setBreaker(schedule.config.gateway.serialNumber, schedule.breaker.state);
      started.push(this.track(this.start(schedule, now)));
    }
    return started;
  }

  /** Polls one gateway at once, outside its schedule (no breaker, no claim): operators, tests. */
  async pollNow(gatewayId: string): Promise<PollOutcome> {
    const schedule = this.schedules.get(gatewayId);
    if (!schedule) throw new Error(`gateway ${gatewayId} is not a scheduled modbus_tcp gateway`);
    if (schedule.running) throw new Error(`gateway ${gatewayId} is being polled`);
    schedule.running = true;
    try {
      return await this.track(this.limit.run(() => this.pollGateway(schedule)));
    } finally {
      schedule.running = false;
    }
  }

  views(): GatewayScheduleView[] {
    return [...this.schedules.values()].map((schedule) => ({
      gatewayId: schedule.config.gateway.id,
      serialNumber: schedule.config.gateway.serialNumber,
      intervalSeconds: schedule.intervalMs / 1000,
      meters: schedule.config.meters.length,
      nextDueAt: new Date(schedule.nextDueAt).toISOString(),
      running: schedule.running,
      breaker: schedule.breaker.state,
      consecutiveFailures: schedule.breaker.consecutiveFailures,
    }));
  }

  get pollsRunning(): number {
    return this.limit.active;
  }

  get pollsQueued(): number {
    return this.limit.queued;
  }

  private schedule(config: ModbusGatewayConfig, now: number): void {
    const intervalSeconds = Math.max(
      config.gateway.pollIntervalSeconds,
      this.config.modbusMinIntervalSeconds,
    );
    const intervalMs = intervalSeconds * 1000;
    const existing = this.schedules.get(config.gateway.id);
    if (!existing) {
      const breaker = new CircuitBreaker(
        this.config.modbusBreakerThreshold,
        this.config.modbusBreakerCooldownSeconds * 1000,
      );
      this.schedules.set(config.gateway.id, {
        config,
        intervalMs,
        breaker,
        nextDueAt: now,
        lastStartedAt: null,
        running: false,
      });
      this.metrics.setBreaker(config.gateway.serialNumber, breaker.state);
      return;
    }
    if (existing.config.gateway.serialNumber !== config.gateway.serialNumber) {
      this.metrics.forgetGateway(existing.config.gateway.serialNumber);
      this.metrics.setBreaker(config.gateway.serialNumber, existing.breaker.state);
    }
    existing.config = config;
    if (existing.intervalMs !== intervalMs) {
      existing.intervalMs = intervalMs;
      existing.nextDueAt = (existing.lastStartedAt ?? now) + intervalMs;
    }
  }

  private async start(schedule: GatewaySchedule, now: number): Promise<void> {
    schedule.running = true;
    try {
      if (!(await this.claim(schedule, now))) return;
      await this.limit.run(() => this.pollGateway(schedule));
    } catch (error) {
      if (!this.stopping) {
        const message = (error as Error).message;
        this.logger.error(`poll of ${schedule.config.gateway.serialNumber} failed: ${message}`);
      }
    } finally {
      schedule.running = false;
    }
  }

  /** Whether this instance polls the gateway this interval; another transport may have it. */
  private async claim(schedule: GatewaySchedule, now: number): Promise<boolean> {
    const key = `${this.config.queuePrefix}:modbus:poll:${schedule.config.gateway.id}`;
    const ttlMs = Math.max(TICK_MS, schedule.intervalMs - TICK_MS);
    try {
      const claimed = await this.redis.set(key, this.config.transportInstanceId, 'PX', ttlMs, 'NX');
      if (claimed === 'OK') return true;
      schedule.nextDueAt = now + schedule.intervalMs;
    } catch (error) {
      this.logger.warn(
        `cannot claim ${schedule.config.gateway.serialNumber}: ${(error as Error).message}`,
      );
      schedule.nextDueAt = now + CLAIM_RETRY_MS;
    }
    return false;
  }

  private async pollGateway(schedule: GatewaySchedule): Promise<PollOutcome> {
    const { gateway, meters } = schedule.config;
    schedule.lastStartedAt = Date.now();
    schedule.nextDueAt = schedule.lastStartedAt + schedule.intervalMs;
    this.metrics.inFlight.inc();
    let outcome: PollOutcome;
    try {
      outcome = await this.poller.poll({
        id: gateway.id,
        serialNumber: gateway.serialNumber,
        host: gateway.host,
        port: gateway.port,
        meters,
      });
    } finally {
      this.metrics.inFlight.dec();
    }
    if (!this.stopping) await this.apply(schedule, outcome);
    return outcome;
  }

  /** The consequences of a poll: readings ingested, issues recorded or resolved, status, breaker. */
  private async apply(schedule: GatewaySchedule, outcome: PollOutcome): Promise<void> {
    const { gateway, misconfigured } = schedule.config;
    const failures: PollFailure[] = [
      ...outcome.failures,
      ...misconfigured.map(({ meterId, message }) => ({
        meterId,
        kind: 'not_configured' as const,
        message,
        details: {},
      })),
    ];
    await this.ingest(gateway, outcome);
    for (const failure of failures) await this.issues.record(gateway, failure, outcome.finishedAt);
    await this.issues.resolve(gateway, outcome.readMeterIds, outcome.answered);
    if (outcome.answered) schedule.breaker.recordSuccess();
    else schedule.breaker.recordFailure(Date.now());
    this.metrics.setBreaker(gateway.serialNumber, schedule.breaker.state);
    const reason = outcome.answered ? 'answered a poll' : (failures[0]?.message ?? 'no answer');
    const status = schedule.breaker.gatewayStatus;
    await this.status.write(gateway.id, {
      status,
      seen: status === 'online',
      source: 'modbus',
      reason,
    });
    const result = !outcome.answered ? 'failed' : failures.length > 0 ? 'partial' : 'ok';
    const seconds = (outcome.finishedAt.getTime() - outcome.startedAt.getTime()) / 1000;
    this.metrics.poll(gateway.serialNumber, result, seconds);
    if (!outcome.answered) {
      const story = failures[0]?.internal ?? reason;
      this.logger.warn(
        `${gateway.serialNumber}: ${story} (${schedule.breaker.consecutiveFailures} failed polls in a row, breaker ${schedule.breaker.state})`,
      );
    }
  }

  /** Hands the readings to the same pipeline as REST, as the gateway's batch (at most 8 per meter). */
  private async ingest(gateway: GatewayEntity, outcome: PollOutcome): Promise<void> {
    if (outcome.readings.length === 0) return;
    const payload = {
      gateway_serial: gateway.serialNumber,
      timestamp: outcome.startedAt.toISOString(),
      readings: outcome.readings.map((reading) => ({
        meter_id: reading.meterId,
        parameter: reading.parameter,
        value: reading.value,
        unit: reading.unit,
        quality: Quality.Good,
        timestamp: reading.at.toISOString(),
      })),
    };
    // Trusted: the poller read this gateway's configuration from the database itself.
    const device = {
      kind: 'gateway' as const,
      deviceId: gateway.serialNumber,
      organizationId: gateway.organizationId,
      gateway,
    };
    const enqueue = async () => {
      const accepted = await this.pipeline.acceptGatewayBatch(
        device,
        payload,
        ReadingSource.Modbus,
      );
      this.metrics.readings.inc({}, accepted.accepted);
      if (accepted.rejected.length > 0) {
        const first = accepted.rejected[0];
        this.logger.warn(
          `${gateway.serialNumber}: ingest refused ${accepted.rejected.length} readings (${first.error}: ${first.message})`,
        );
      }
    };
    try {
      // An outage of the queue holds the batch in the bounded retry buffer instead of losing it.
      await this.retries.submit({
        gatewayId: gateway.id,
        readings: payload.readings.length,
        enqueue,
      });
    } catch (error) {
      this.metrics.ingestFailures.inc();
      this.logger.warn(`${gateway.serialNumber}: ingest failed: ${(error as Error).message}`);
    }
  }

  /** Opens a connection and counts it until it is closed (a leak would show in the gauge). */
  private readonly connect: ModbusConnector = async (address, port, timeoutMs) => {
    const connection = await ModbusTcpConnection.open(address, port, timeoutMs);
    this.metrics.openConnections.inc();
    let open = true;
    return {
      readRegisters: (...args) => connection.readRegisters(...args),
      close: () => {
        if (open) this.metrics.openConnections.dec();
        open = false;
        connection.close();
      },
    };
  };

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }
}
