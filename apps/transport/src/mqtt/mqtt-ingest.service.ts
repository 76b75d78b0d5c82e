import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { errorOutcome, type IngestAccepted } from '@gridwatch/contracts';
import { APP_CONFIG, AppConfig, DomainException, REDIS } from '@gridwatch/server';
import {
  AuthenticatedDevice,
  DeviceAuthenticator,
  DeviceAuthFailed,
  IngestBacklog,
  IngestPipeline,
} from '@gridwatch/ingest';
import { GatewayStatusService, statusDocumentOf } from './gateway-status.service';
import { MqttMetrics, RejectReason } from './mqtt-metrics';
import { routeOf, TopicKind, type TopicRoute } from './mqtt-topics';
import { RejectionReporter, type Rejection } from './rejection-reporter.service';
import { readSignedMessage, type SignedMessage } from './signed-message';
import { isTransientFailure } from '../transient-failure';

/**
 * What to tell the broker: `settled` acknowledges (accepted, duplicate or dropped for good,
 * including a message the code failed on unexpectedly); `redeliver` leaves the message
 * unacknowledged so the broker sends it again (a transient failure only: queue, database or Redis
 * unavailable, or the ingest backlog full).
 */
export type Disposition = 'settled' | 'redeliver';

type UserProperties = Record<string, string | string[]>;

/** How long a delivery may hold a message's claim before a redelivered copy may take it over. */
const CLAIM_LEASE_SECONDS = 60;
const CLAIM_LEASED = 'leased';
const CLAIM_DONE = 'done';

/** Identifies a message by what was signed, so only true copies count as duplicates. */
export function mqttClaimKey(queuePrefix: string, topic: string, message: SignedMessage): string {
  const digest = createHash('sha256')
    .update(`${topic}\n${message.timestamp}\n${message.signature.toLowerCase()}\n${message.body}`)
    .digest('hex');
  return `${queuePrefix}:mqtt:claim:${digest}`;
}

/** A message rejected for good: reported, then acknowledged so the broker forgets it. */
class Rejected extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.detail);
  }
}

/**
 * One device message: topic -> size -> signed envelope -> duplicate check -> authenticate (the
 * topic names the device, so only that device's secret can sign it) -> the same validate/enqueue
 * pipeline as REST, or the gateway's status. Never throws: every outcome is a Disposition.
 */
@Injectable()
export class MqttIngestService {
  private readonly logger = new Logger('MQTT');
  private lastFailureLogAt = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly authenticator: DeviceAuthenticator,
    private readonly pipeline: IngestPipeline,
    private readonly status: GatewayStatusService,
    private readonly rejections: RejectionReporter,
    private readonly metrics: MqttMetrics,
    private readonly backlog: IngestBacklog,
  ) {}

  async handle(
    topic: string,
    payload: Buffer,
    userProperties?: UserProperties,
  ): Promise<Disposition> {
    const started = performance.now();
    const route = routeOf(topic);
    this.metrics.received.inc({ kind: route?.kind ?? 'unknown' });
    try {
      await this.process(topic, route, payload, userProperties);
      return 'settled';
    } catch (error) {
      if (!(error instanceof Rejected) && isTransientFailure(error)) {
        this.metrics.redelivered.inc();
        this.logFailure(topic, error);
        return 'redeliver';
      }
      await this.report(
        error instanceof Rejected ? error.rejection : internal(topic, route, error),
      );
      return 'settled';
    } finally {
      this.metrics.handling.observe({}, (performance.now() - started) / 1000);
    }
  }

  /** Reporting must not turn a rejection into a redelivery: it is counted even if it fails. */
  private async report(rejection: Rejection): Promise<void> {
    try {
      await this.rejections.report(rejection);
    } catch (error) {
      this.logger.warn(`could not report a rejection: ${(error as Error).message}`);
    }
  }

  private async process(
    topic: string,
    route: TopicRoute | null,
    payload: Buffer,
    userProperties: UserProperties | undefined,
  ): Promise<void> {
    const reject = (reason: RejectReason, detail: string, event: Rejection['event'] = null) =>
      new Rejected({ reason, topic, deviceId: route?.deviceId ?? null, detail, event });
    if (!route) throw reject(RejectReason.UnknownTopic, 'not a GridWatch device topic');
    // Back-pressure: while the ingest queue is full, readings wait at the broker unacknowledged
    // (a 503, so a redelivery), before any work is spent on them; heartbeats still flow.
    if (route.kind !== TopicKind.GatewayStatus) await this.backlog.ensureRoom();
    if (payload.length > this.config.mqttMaxPayloadBytes) {
      throw reject(
        RejectReason.Oversize,
        `${payload.length} bytes, over the ${this.config.mqttMaxPayloadBytes} byte limit`,
        'ingest.rejected_schema',
      );
    }
    const read = readSignedMessage(payload, userProperties);
    if (!read.ok) {
      const reason = read.reason === 'too_deep' ? RejectReason.TooDeep : RejectReason.Malformed;
      throw reject(reason, read.problem, 'ingest.rejected_schema');
    }
    await this.ingestOnce(topic, route, read.message);
  }

  /**
   * Authenticates and delivers a message unless a copy of it was already delivered (QoS 1 delivers
   * at least once). The claim is a lease while the delivery runs and becomes `done` only once the
   * message is enqueued; the signature joins the replay memory at that moment too. So a process
   * that dies in between leaves a lease that runs out, and the broker's redelivery is taken then
   * instead of being dropped as a duplicate (docs/faults.md). A copy that finds a lease is left
   * for redelivery; a transient failure releases the lease at once.
   */
  private async ingestOnce(
    topic: string,
    route: TopicRoute,
    message: SignedMessage,
  ): Promise<void> {
    const claim = mqttClaimKey(this.config.queuePrefix, topic, message);
    const leased = await this.redis.set(claim, CLAIM_LEASED, 'EX', CLAIM_LEASE_SECONDS, 'NX');
    if (leased !== 'OK') {
      if ((await this.redis.get(claim)) !== CLAIM_DONE) {
        throw new DomainException('message_in_flight', 'A copy of this message is being delivered');
      }
      this.metrics.duplicates.inc();
      return;
    }
    let device: AuthenticatedDevice;
    try {
      // Every message is judged by the replay window around now, except a gateway's last will:
      // around the heartbeat of the session it names (GatewayStatusService).
      const willSignedAround =
        route.kind === TopicKind.GatewayStatus
          ? await this.status.willSignedAround(route.deviceId, message.document)
          : null;
      device = await this.authenticator.authenticate({
        deviceId: route.deviceId,
        timestamp: message.timestamp,
        signature: message.signature,
        body: message.body,
        ip: null,
        signedAround: willSignedAround ?? undefined,
        deferReplayMemory: true,
      });
    } catch (error) {
      if (error instanceof DeviceAuthFailed) throw authRejection(topic, route, error);
      await this.release(claim);
      throw error;
    }
    try {
      await this.deliver(topic, route, device, message);
    } catch (error) {
      if (error instanceof Rejected) {
        await this.settle(claim, route.deviceId, message.signature);
        throw error;
      }
      if (error instanceof DomainException && errorOutcome(error.code).mqtt === 'reject') {
        await this.settle(claim, route.deviceId, message.signature);
        throw pipelineRejection(topic, route, device, error);
      }
      await this.release(claim);
      throw error;
    }
    await this.settle(claim, route.deviceId, message.signature);
    this.metrics.accepted.inc({ kind: route.kind });
  }

  private async deliver(
    topic: string,
    route: TopicRoute,
    device: AuthenticatedDevice,
    message: SignedMessage,
  ): Promise<void> {
    const expected = route.kind === TopicKind.MeterReadings ? 'meter' : 'gateway';
    if (device.kind !== expected) {
      throw new Rejected({
        reason: RejectReason.WrongTopic,
        topic,
        deviceId: route.deviceId,
        detail: `a ${device.kind} published on a ${expected} topic`,
        event: 'ingest.rejected_auth',
        organizationId: device.organizationId,
      });
    }
    if (route.kind === TopicKind.GatewayStatus) {
      const document = statusDocumentOf(message.document);
      if (!document || device.kind !== 'gateway') {
        throw new DomainException('invalid_payload', 'status must be "online" or "offline"');
      }
      return this.status.apply(device.gateway, document, message.timestamp);
    }
    const result =
      route.kind === TopicKind.GatewayReadings
        ? await this.pipeline.acceptGatewayBatch(device, message.document, 'mqtt')
        : await this.pipeline.acceptDeviceSample(device, message.document, 'mqtt');
    this.countReadings(topic, result);
  }

  private countReadings(topic: string, result: IngestAccepted): void {
    this.metrics.readings.inc({ outcome: 'accepted' }, result.accepted);
    if (result.rejected.length === 0) return;
    this.metrics.readings.inc({ outcome: 'rejected' }, result.rejected.length);
    const first = result.rejected[0];
    this.logger.debug(
      `${topic}: ${result.rejected.length} reading(s) rejected, e.g. #${first.index} ${first.error}`,
    );
  }

  /** Delivered: later copies are duplicates, and the signature is spent for REST as well. */
  private async settle(claim: string, deviceId: string, signature: string): Promise<void> {
    const memory = this.config.replayWindowSeconds * 2;
    await this.redis.set(claim, CLAIM_DONE, 'EX', memory);
    await this.authenticator.commitSignature(deviceId, signature);
  }

  private async release(...keys: string[]): Promise<void> {
    await this.redis.del(...keys).catch(() => undefined);
  }

  private logFailure(topic: string, error: unknown): void {
    if (Date.now() - this.lastFailureLogAt < 10_000) return;
    this.lastFailureLogAt = Date.now();
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      `could not take a message on ${topic}, leaving it to be redelivered: ${reason}`,
    );
  }
}

function authRejection(topic: string, route: TopicRoute, error: DeviceAuthFailed): Rejected {
  const reason =
    error.code === 'replayed'
      ? RejectReason.Replayed
      : error.code === 'stale_timestamp' || error.code === 'invalid_timestamp'
        ? RejectReason.StaleTimestamp
        : RejectReason.BadSignature;
  // The authenticator has already recorded (and rate-limited) its own ingest.rejected_auth event.
  return new Rejected({
    reason,
    topic,
    deviceId: route.deviceId,
    detail: error.message,
    event: null,
  });
}

function pipelineRejection(
  topic: string,
  route: TopicRoute,
  device: AuthenticatedDevice,
  error: DomainException,
): Rejected {
  const wrongDevice = error.code === 'gateway_serial_mismatch';
  const replayed = error.code === 'replayed';
  return new Rejected({
    reason: wrongDevice
      ? RejectReason.WrongTopic
      : replayed
        ? RejectReason.Replayed
        : RejectReason.InvalidPayload,
    topic,
    deviceId: route.deviceId,
    detail: `${error.code}: ${error.message}`,
    event: wrongDevice || replayed ? 'ingest.rejected_auth' : 'ingest.rejected_schema',
    organizationId: device.organizationId,
  });
}

/** A failure that is neither a rejection nor transient: it would recur on every redelivery. */
function internal(topic: string, route: TopicRoute | null, error: unknown): Rejection {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    reason: RejectReason.InternalError,
    topic,
    deviceId: route?.deviceId ?? null,
    detail: `could not be handled (${detail}); acknowledged and dropped`,
    event: 'ingest.rejected_schema',
  };
}
