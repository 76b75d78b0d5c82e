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
  IngestPipeline,
} from '@gridwatch/ingest';
import { GatewayStatusService, statusDocumentOf } from './gateway-status.service';
import { MqttMetrics, RejectReason } from './mqtt-metrics';
import { routeOf, TopicKind, type TopicRoute } from './mqtt-topics';
import { RejectionReporter, type Rejection } from './rejection-reporter.service';
import { readSignedMessage, type SignedMessage } from './signed-message';

/**
 * What to tell the broker: `settled` acknowledges (accepted, duplicate or dropped for good);
 * `redeliver` leaves the message unacknowledged so the broker sends it again (a transient failure:
 * queue, database or Redis unavailable).
 */
export type Disposition = 'settled' | 'redeliver';

type UserProperties = Record<string, string | string[]>;

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
      if (error instanceof Rejected) {
        await this.rejections.report(error.rejection);
        return 'settled';
      }
      this.metrics.redelivered.inc();
      this.logFailure(topic, error);
      return 'redeliver';
    } finally {
      this.metrics.handling.observe({}, (performance.now() - started) / 1000);
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
    if (payload.length > this.config.mqttMaxPayloadBytes) {
      throw reject(
        RejectReason.Oversize,
        `${payload.length} bytes, over the ${this.config.mqttMaxPayloadBytes} byte limit`,
        'ingest.rejected_schema',
      );
    }
    const read = readSignedMessage(payload, userProperties);
    if (!read.ok) throw reject(RejectReason.Malformed, read.problem, 'ingest.rejected_schema');
    if (
      route.kind === TopicKind.GatewayStatus &&
      statusDocumentOf(read.message.document)?.status === 'offline'
    ) {
      return this.offline(topic, route, read.message);
    }
    await this.ingestOnce(topic, route, read.message);
  }

  /**
   * Authenticates and delivers a message unless a copy of it was already taken (QoS 1 delivers
   * at least once). The claim and the authenticator's replay memory are released again when
   * delivery fails transiently, so the broker's redelivery is accepted rather than refused.
   */
  private async ingestOnce(
    topic: string,
    route: TopicRoute,
    message: SignedMessage,
  ): Promise<void> {
    const claim = this.claimKey(topic, message);
    const fresh = await this.redis.set(claim, '1', 'EX', this.config.replayWindowSeconds * 2, 'NX');
    if (fresh !== 'OK') {
      this.metrics.duplicates.inc();
      return;
    }
    let device: AuthenticatedDevice;
    try {
      device = await this.authenticator.authenticate({
        deviceId: route.deviceId,
        timestamp: message.timestamp,
        signature: message.signature,
        body: message.body,
        ip: null,
      });
    } catch (error) {
      if (error instanceof DeviceAuthFailed) throw authRejection(topic, route, error);
      await this.release(claim);
      throw error;
    }
    try {
      await this.deliver(topic, route, device, message);
    } catch (error) {
      if (error instanceof Rejected) throw error;
      if (error instanceof DomainException && errorOutcome(error.code).mqtt === 'reject') {
        throw pipelineRejection(topic, route, device, error);
      }
      await this.release(claim);
      await this.authenticator.forgetSignature(route.deviceId, message.signature);
      throw error;
    }
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
      return this.status.apply(device.gateway, document);
    }
    const result =
      route.kind === TopicKind.GatewayReadings
        ? await this.pipeline.acceptGatewayBatch(device, message.document, 'mqtt')
        : await this.pipeline.acceptDeviceSample(device, message.document, 'mqtt');
    this.countReadings(topic, result);
  }

  /** A last will or goodbye: signature-checked without the replay window, applied at once. */
  private async offline(topic: string, route: TopicRoute, message: SignedMessage): Promise<void> {
    const check = await this.status.offlineSigner(route.deviceId, message);
    if (!check.ok) {
      throw new Rejected({
        reason:
          check.problem === 'bad_signature'
            ? RejectReason.BadSignature
            : RejectReason.StaleTimestamp,
        topic,
        deviceId: route.deviceId,
        detail: check.detail,
        event: 'ingest.rejected_auth',
      });
    }
    const document = statusDocumentOf(message.document);
    if (document) await this.status.apply(check.gateway, document);
    this.metrics.accepted.inc({ kind: route.kind });
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

  /** Identifies a message by what was signed, so only true copies count as duplicates. */
  private claimKey(topic: string, message: SignedMessage): string {
    const digest = createHash('sha256')
      .update(`${topic}\n${message.timestamp}\n${message.signature.toLowerCase()}\n${message.body}`)
      .digest('hex');
    return `${this.config.queuePrefix}:mqtt:claim:${digest}`;
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
  return new Rejected({
    reason: wrongDevice ? RejectReason.WrongTopic : RejectReason.InvalidPayload,
    topic,
    deviceId: route.deviceId,
    detail: `${error.code}: ${error.message}`,
    event: wrongDevice ? 'ingest.rejected_auth' : 'ingest.rejected_schema',
    organizationId: device.organizationId,
  });
}
