import type { DeviceAuthMode } from './device-auth';
import {
  INGEST_PATH,
  PING_PATH,
  WireBatch,
  backoffDelayMs,
  isIngestAnswer,
  postDevice,
  type DeviceResponse,
} from './device-client';
import { pingOf } from './gateway-ping';
import { LoadProfile, hash32 } from './load-profile';
import { formatRfc3339 } from './local-clock';
import type { ManifestGateway } from './manifest';
import { Outbox } from './outbox';
import type { SimState } from './sim-state';

export interface GatewaySimulatorOptions {
  api: string;
  auth: DeviceAuthMode;
  /** Unsent batches kept for resending; beyond it the oldest are dropped (and counted). */
  maxPending: number;
  /** Readings per request at most; a tick with more is split. */
  maxBatchReadings: number;
  /** Attempts per batch before it is given up (and counted); Infinity keeps trying. */
  maxAttempts: number;
  /** Asked for fresh credentials after a 401, e.g. a re-read manifest; null when there are none. */
  refreshSecret?: (serialNumber: string) => string | null;
}

/** Counts since the last `takeStats()`, in readings unless named otherwise. */
export interface GatewayStats {
  generated: number;
  sent: number;
  accepted: number;
  rejected: number;
  /** Refused whole (4xx) or given up after maxAttempts. */
  failed: number;
  /** Pushed out of a full outbox. */
  dropped: number;
  retries: number;
  pingsOk: number;
  pingsFailed: number;
  /** Rejection and failure reasons with how often each came. */
  problems: Map<string, number>;
}

interface PendingBatch {
  body: WireBatch;
  attempts: number;
}

/** One simulated http gateway: meters sampled from a load profile, batches buffered and delivered. */
export class GatewaySimulator {
  private readonly outbox: Outbox<PendingBatch>;
  private stats = emptyStats();
  private draining: Promise<void> | null = null;
  private retryAt = 0;
  private failures = 0;
  private secret: string;
  private readonly bootedMs: number;
  private stopped = false;
  private wake: (() => void) | null = null;

  constructor(
    readonly gateway: ManifestGateway,
    private readonly profile: LoadProfile,
    private readonly state: SimState,
    private readonly options: GatewaySimulatorOptions,
  ) {
    this.outbox = new Outbox(options.maxPending);
    this.secret = gateway.secret;
    // A router in the field has been up for a while: 1-20 days, fixed per serial.
    this.bootedMs = Date.now() - (1 + (hash32(`boot|${gateway.serialNumber}`) % 20)) * 86_400_000;
  }

  get pending(): number {
    return this.outbox.size;
  }

  /** Samples every meter at `ms`, advances its counters and queues the readings as batches. */
  generate(ms: number): void {
    const timestamp = formatRfc3339(ms, this.profile.timeZone);
    const readings = this.gateway.meters.flatMap((meter) => {
      const counters = this.profile.advance(
        meter,
        this.state.get(meter.id) ?? this.profile.initialCounters(meter, ms),
        ms,
      );
      this.state.set(meter.id, counters);
      return this.profile
        .readingsOf(meter, this.profile.sample(meter, ms), counters)
        .map((reading) => ({ meter_id: meter.id, ...reading }));
    });
    for (let start = 0; start < readings.length; start += this.options.maxBatchReadings) {
      const chunk = readings.slice(start, start + this.options.maxBatchReadings);
      const pushedOut = this.outbox.push({
        body: { gateway_serial: this.gateway.serialNumber, timestamp, readings: chunk },
        attempts: 0,
      });
      this.stats.generated += chunk.length;
      if (pushedOut) {
        this.stats.dropped += pushedOut.body.readings.length;
        this.note(`outbox full (${this.options.maxPending} batches): dropped the oldest batch`);
      }
    }
  }

  /** Sends a heartbeat now; a failed one is counted, not queued (a stale heartbeat says nothing). */
  async ping(ms: number): Promise<void> {
    const body = pingOf(
      this.gateway.serialNumber,
      this.gateway.host,
      ms,
      this.bootedMs,
      formatRfc3339(ms, this.profile.timeZone),
    );
    const response = await this.post(PING_PATH, body);
    if (response.outcome === 'ok') {
      this.stats.pingsOk += 1;
      return;
    }
    this.stats.pingsFailed += 1;
    this.note(`ping: ${response.reason}`);
  }

  /** Delivers queued batches oldest first, waiting out backoff; one delivery loop at a time. */
  drain(): Promise<void> {
    this.draining ??= this.deliver().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  /** Stops waiting in backoff; queued batches stay where they are. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  takeStats(): GatewayStats {
    const stats = this.stats;
    this.stats = emptyStats();
    return stats;
  }

  private async deliver(): Promise<void> {
    for (let batch = this.outbox.peek(); batch && !this.stopped; batch = this.outbox.peek()) {
      const wait = this.retryAt - Date.now();
      if (wait > 0) {
        await this.sleep(wait);
        continue;
      }
      batch.attempts += 1;
      const response = await this.post(INGEST_PATH, batch.body);
      this.settle(batch, response);
    }
  }

  private settle(batch: PendingBatch, response: DeviceResponse): void {
    const count = batch.body.readings.length;
    if (response.outcome === 'ok') {
      this.outbox.shift();
      this.failures = 0;
      this.stats.sent += count;
      this.recordAnswer(response.body, count);
      return;
    }
    if (response.outcome === 'unauthorized' && this.tookNewSecret()) return;
    if (response.outcome === 'retry' && batch.attempts < this.options.maxAttempts) {
      this.failures += 1;
      this.stats.retries += 1;
      this.retryAt = Date.now() + backoffDelayMs(this.failures, response.retryAfterMs);
      this.note(`retrying: ${response.reason}`);
      return;
    }
    this.outbox.shift();
    this.stats.sent += count;
    this.stats.failed += count;
    this.note(
      response.outcome === 'retry'
        ? `gave up after ${batch.attempts} attempts: ${response.reason}`
        : response.reason,
    );
  }

  private recordAnswer(body: unknown, count: number): void {
    if (!isIngestAnswer(body)) {
      this.stats.failed += count;
      this.note(`unexpected ingest answer: ${JSON.stringify(body)?.slice(0, 200)}`);
      return;
    }
    this.stats.accepted += body.accepted;
    this.stats.rejected += body.rejected.length;
    for (const rejection of body.rejected)
      this.note(`rejected ${rejection.error}: ${rejection.message ?? ''}`.trim());
  }

  /** After a 401: re-seeding the demo may have issued a new secret; use it if there is one. */
  private tookNewSecret(): boolean {
    const fresh = this.options.refreshSecret?.(this.gateway.serialNumber) ?? null;
    if (!fresh || fresh === this.secret) return false;
    this.secret = fresh;
    this.note('401: picked up a new secret from the manifest');
    return true;
  }

  private post(path: string, body: unknown): Promise<DeviceResponse> {
    return postDevice({
      api: this.options.api,
      path,
      body,
      device: { deviceId: this.gateway.serialNumber, secret: this.secret },
      auth: this.options.auth,
    });
  }

  private note(problem: string): void {
    this.stats.problems.set(problem, (this.stats.problems.get(problem) ?? 0) + 1);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

export function emptyStats(): GatewayStats {
  return {
    generated: 0,
    sent: 0,
    accepted: 0,
    rejected: 0,
    failed: 0,
    dropped: 0,
    retries: 0,
    pingsOk: 0,
    pingsFailed: 0,
    problems: new Map(),
  };
}

/** Adds `more` into `total`. */
export function addStats(total: GatewayStats, more: GatewayStats): GatewayStats {
  total.generated += more.generated;
  total.sent += more.sent;
  total.accepted += more.accepted;
  total.rejected += more.rejected;
  total.failed += more.failed;
  total.dropped += more.dropped;
  total.retries += more.retries;
  total.pingsOk += more.pingsOk;
  total.pingsFailed += more.pingsFailed;
  for (const [problem, count] of more.problems)
    total.problems.set(problem, (total.problems.get(problem) ?? 0) + count);
  return total;
}
