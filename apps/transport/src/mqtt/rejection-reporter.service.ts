import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { EventType } from '@gridwatch/contracts';
import {
  APP_CONFIG,
  AppConfig,
  DeviceCredentialEntity,
  EventRecorder,
  REDIS,
} from '@gridwatch/server';
import { MqttMetrics, RejectReason } from './mqtt-metrics';

export interface Rejection {
  reason: RejectReason;
  topic: string;
  /** The device the topic names; null when the topic names none. */
  deviceId: string | null;
  detail: string;
  /**
   * The audit event to append, or null when another component already did (the
   * DeviceAuthenticator records its own refusals).
   */
  event: typeof EventType.IngestRejectedAuth | typeof EventType.IngestRejectedSchema | null;
  /** The device's organization when known (authenticated); otherwise looked up by device id. */
  organizationId?: string;
}

const LOG_EVERY_MS = 10_000;
const EVENT_EVERY_SECONDS = 60;

/**
 * A dropped message is counted always, logged at most once per reason every 10 s (with how many
 * were not logged), and recorded as an audit event at most once per device and reason a minute,
 * however hard a device or a misconfigured fleet hammers the broker.
 */
@Injectable()
export class RejectionReporter {
  private readonly logger = new Logger('MQTT');
  private readonly logged = new Map<RejectReason, { at: number; suppressed: number }>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: EventRecorder,
    private readonly metrics: MqttMetrics,
  ) {}

  async report(rejection: Rejection): Promise<void> {
    this.metrics.rejected.inc({ reason: rejection.reason });
    this.log(rejection);
    if (rejection.event && rejection.deviceId) {
      await this.record(rejection, rejection.event, rejection.deviceId).catch((error: Error) =>
        this.logger.warn(`could not record the rejection event: ${error.message}`),
      );
    }
  }

  private log({ reason, topic, detail }: Rejection): void {
    const now = Date.now();
    const last = this.logged.get(reason);
    if (last && now - last.at < LOG_EVERY_MS) {
      last.suppressed += 1;
      return;
    }
    const more = last?.suppressed
      ? ` (${last.suppressed} more ${reason} since the last report)`
      : '';
    this.logger.warn(`dropped a message on ${topic}: ${reason}: ${detail}${more}`);
    this.logged.set(reason, { at: now, suppressed: 0 });
  }

  private async record(rejection: Rejection, type: EventType, device: string): Promise<void> {
    const deviceId = device.slice(0, 200);
    const key = `${this.config.queuePrefix}:mqtt:rejected:${deviceId}:${rejection.reason}`;
    const count = await this.redis.incr(key);
    if (count > 1) return;
    await this.redis.expire(key, EVENT_EVERY_SECONDS);
    const organizationId =
      rejection.organizationId ??
      (await this.db.manager.findOneBy(DeviceCredentialEntity, { deviceId }))?.organizationId ??
      null;
    await this.events.record({
      organizationId,
      type,
      actor: { type: 'device', id: deviceId, ip: null },
      data: {
        reason: rejection.reason,
        transport: 'mqtt',
        topic: rejection.topic,
        detail: rejection.detail.slice(0, 500),
      },
    });
  }
}
