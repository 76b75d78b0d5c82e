import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { connect, type IConnackPacket, type IPublishPacket, type MqttClient } from 'mqtt';
import { APP_CONFIG, AppConfig } from '@gridwatch/server';
import { MqttIngestService } from './mqtt-ingest.service';
import { MqttMetrics } from './mqtt-metrics';
import {
  DEVICE_TOPICS,
  routeOf,
  sharedFilter,
  TopicKind,
  transportStatusTopic,
} from './mqtt-topics';

/** Passed to mqtt.js instead of a PUBACK: the message stays unacknowledged. */
class LeftForRedelivery extends Error {
  constructor() {
    super('left unacknowledged for redelivery');
  }
}

const REDELIVERY_BASE_MS = 2_000;
const REDELIVERY_MAX_MS = 60_000;
const SUBSCRIBE_RETRY_MS = 10_000;

/**
 * The transport's broker connection (MQTT 5): a stable client id per instance and a persistent
 * session, so QoS 1 messages published while it restarts wait at the broker; shared subscriptions,
 * so the instances of a group split the devices' messages; subscriptions renewed on every connect,
 * whether or not the broker kept the session (see onConnect; mqttjs/MQTT.js#895). A message is
 * acknowledged only once it was enqueued or rejected for good; after a transient failure the
 * connection is renewed (with backoff) so the broker redelivers what was left unacknowledged.
 * The instance's own status is retained on gridwatch/transport/{id}/status, "offline" as last will.
 */
@Injectable()
export class MqttConnectionService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('MQTT');
  private client?: MqttClient;
  private subscribed = false;
  private redeliveryTimer?: NodeJS.Timeout;
  private subscribeTimer?: NodeJS.Timeout;
  private redeliveryDelayMs = REDELIVERY_BASE_MS;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ingest: MqttIngestService,
    private readonly metrics: MqttMetrics,
  ) {}

  get instanceId(): string {
    return this.config.transportInstanceId;
  }

  get clientId(): string {
    return `gridwatch-transport-${this.instanceId}`;
  }

  get statusTopic(): string {
    return transportStatusTopic(this.instanceId);
  }

  /** Connected with the device subscriptions in place: what /health reports. */
  get connected(): boolean {
    return (this.client?.connected ?? false) && this.subscribed;
  }

  onModuleInit(): void {
    const offline = JSON.stringify({ status: 'offline', instance: this.instanceId });
    this.client = connect(this.config.mqttUrl, {
      protocolVersion: 5,
      clientId: this.clientId,
      // The transport's own broker account where the broker is not open (docs/mqtt.md).
      ...(this.config.mqttUsername
        ? { username: this.config.mqttUsername, password: this.config.mqttPassword }
        : {}),
      clean: false,
      properties: { sessionExpiryInterval: this.config.mqttSessionExpirySeconds },
      // Subscriptions are renewed in onConnect, on every connect.
      resubscribe: false,
      reconnectPeriod: 2000,
      // A broker that refuses the account (not provisioned yet: the API creates it when it starts)
      // is asked again; mqtt.js 5 stops at a refused CONNACK otherwise.
      reconnectOnConnackError: true,
      connectTimeout: 10_000,
      will: { topic: this.statusTopic, payload: Buffer.from(offline), qos: 1, retain: true },
      customHandleAcks: (topic, payload, packet: IPublishPacket, done) => {
        void this.ingest
          .handle(topic, payload, packet.properties?.userProperties)
          // handle() settles every failure itself; were it to throw anyway, the message would
          // fail the same way again, so it is acknowledged rather than redelivered forever.
          .catch((error: Error) => {
            this.logger.error(`handling a message on ${topic} failed: ${error.message}`);
            return 'settled' as const;
          })
          .then((disposition) => {
            if (disposition === 'settled') {
              // Heartbeats settle even while readings cannot (backlog full): only a settled
              // readings message shows the way is clear again and ends the backoff.
              if (routeOf(topic)?.kind !== TopicKind.GatewayStatus) {
                this.redeliveryDelayMs = REDELIVERY_BASE_MS;
              }
              return done(0);
            }
            done(new LeftForRedelivery());
            this.redeliverLater();
          });
      },
    });
    this.client.on('connect', (connack) => this.onConnect(connack));
    // QoS 1 and 2 messages go through customHandleAcks; QoS 0 ones have no ack to hold back.
    this.client.on('message', (topic, payload, packet) => {
      if (packet.qos === 0)
        void this.ingest.handle(topic, payload, packet.properties?.userProperties);
    });
    this.client.on('close', () => this.onClose());
    this.client.on('reconnect', () => this.logger.warn('Reconnecting to the broker'));
    this.client.on('error', (error) => {
      // mqtt.js emits errors on connection failures and for held-back acks; logging keeps us alive.
      if (!(error instanceof LeftForRedelivery)) this.logger.warn(error.message);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.redeliveryTimer);
    clearTimeout(this.subscribeTimer);
    if (!this.client) return;
    if (this.client.connected) await this.publishStatus('offline');
    await this.client.endAsync();
  }

  private onConnect(connack: IConnackPacket): void {
    const resumed = connack.sessionPresent;
    this.metrics.connects.inc({ session: resumed ? 'resumed' : 'new' });
    this.logger.log(
      `Connected to ${this.config.mqttUrl} as ${this.clientId} (${resumed ? 'session resumed' : 'new session'})`,
    );
    void this.publishStatus('online');
    // Renewed even when the session was resumed: Mosquitto 2.0 restores a saved session's plain
    // subscriptions after a restart, but not its shared ones, while still answering sessionPresent.
    // Subscribing again to the same filter replaces the subscription; it never doubles it.
    void this.subscribe();
  }

  private onClose(): void {
    this.subscribed = false;
    this.metrics.connected.set({}, 0);
  }

  private async subscribe(): Promise<void> {
    clearTimeout(this.subscribeTimer);
    const client = this.client;
    if (!client?.connected) return;
    const filters = DEVICE_TOPICS.map((topic) => sharedFilter(this.config.mqttShareGroup, topic));
    try {
      // rh 2: no retained messages at subscribing. A retained heartbeat is history, not news; it
      // would be applied again (or refused as stale) at every reconnect of every instance.
      const granted = await client.subscribeAsync(
        Object.fromEntries(filters.map((filter) => [filter, { qos: 1 as const, rh: 2 }])),
      );
      const refused = granted.filter((grant) => grant.qos === 128).map((grant) => grant.topic);
      if (refused.length > 0) throw new Error(`the broker refused ${refused.join(', ')}`);
      this.logger.log(`Subscribed to ${filters.join(', ')}`);
      this.markSubscribed();
    } catch (error) {
      this.logger.error(`Subscribing failed: ${(error as Error).message}; retrying`);
      this.subscribeTimer = setTimeout(() => void this.subscribe(), SUBSCRIBE_RETRY_MS);
    }
  }

  private markSubscribed(): void {
    this.subscribed = true;
    this.metrics.connected.set({}, 1);
  }

  /**
   * Brokers resend unacknowledged messages only when a session is resumed, so after a transient
   * failure the connection is closed cleanly (the session stays) and opened again; the delay
   * doubles (up to a minute) while failures continue and starts over once a readings message is
   * settled, so a full backlog costs one reconnect a minute, not a storm.
   */
  private redeliverLater(): void {
    if (this.redeliveryTimer) return;
    // Jittered, so instances that failed together do not reconnect together.
    const delay = Math.round(this.redeliveryDelayMs * (0.75 + 0.5 * Math.random()));
    this.redeliveryDelayMs = Math.min(this.redeliveryDelayMs * 2, REDELIVERY_MAX_MS);
    this.logger.warn(
      `Reconnecting in ${(delay / 1000).toFixed(1)} s to have unacknowledged messages redelivered`,
    );
    this.redeliveryTimer = setTimeout(() => {
      const client = this.client;
      if (!client) return;
      client.end(false, {}, () => {
        this.redeliveryTimer = undefined;
        if (!this.stopping) client.reconnect();
      });
    }, delay);
  }

  private async publishStatus(status: 'online' | 'offline'): Promise<void> {
    const payload = JSON.stringify({
      status,
      instance: this.instanceId,
      at: new Date().toISOString(),
    });
    await this.client
      ?.publishAsync(this.statusTopic, payload, { qos: 1, retain: true })
      .catch((error: Error) => this.logger.warn(`Status publish failed: ${error.message}`));
  }
}
