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

/** One broker connection and its own state (see MqttConnectionService). */
interface Lane {
  /** 0 carries the instance's status and last will; the others only take messages. */
  index: number;
  clientId: string;
  client?: MqttClient;
  subscribed: boolean;
  redeliveryTimer?: NodeJS.Timeout;
  subscribeTimer?: NodeJS.Timeout;
  redeliveryDelayMs: number;
}

/**
 * The transport's broker connections (MQTT 5): `MQTT_CONNECTIONS` per instance (mqtt.js hands a
 * connection its messages one at a time, each acknowledged only once enqueued, so the connections
 * are the messages handled at once), each with a stable client id and a persistent session, so QoS
 * 1 messages published while it restarts wait at the broker; shared subscriptions, so the
 * connections of all instances of a group split the devices' messages; subscriptions renewed on
 * every connect, whether or not the broker kept the session (see onConnect; mqttjs/MQTT.js#895).
 * A message is acknowledged only once it was enqueued or rejected for good; after a transient
 * failure the connection is renewed (with backoff) so the broker redelivers what was left
 * unacknowledged. The instance's own status is retained on gridwatch/transport/{id}/status,
 * "offline" as the first connection's last will.
 */
@Injectable()
export class MqttConnectionService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('MQTT');
  private readonly lanes: Lane[];
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ingest: MqttIngestService,
    private readonly metrics: MqttMetrics,
  ) {
    // Without a share group every connection would get every message: one connection then.
    const count = config.mqttShareGroup === null ? 1 : config.mqttConnections;
    this.lanes = Array.from({ length: count }, (_, index) => ({
      index,
      clientId: index === 0 ? this.clientId : `${this.clientId}-${index}`,
      subscribed: false,
      redeliveryDelayMs: REDELIVERY_BASE_MS,
    }));
  }

  get instanceId(): string {
    return this.config.transportInstanceId;
  }

  /** The first connection's client id; the others add `-1`, `-2`, ... */
  get clientId(): string {
    return `gridwatch-transport-${this.instanceId}`;
  }

  /** Every connection's client id (a session each at the broker). */
  get clientIds(): string[] {
    return this.lanes.map((lane) => lane.clientId);
  }

  get statusTopic(): string {
    return transportStatusTopic(this.instanceId);
  }

  /** Every connection connected with the device subscriptions in place: what /health reports. */
  get connected(): boolean {
    return this.lanes.every((lane) => (lane.client?.connected ?? false) && lane.subscribed);
  }

  onModuleInit(): void {
    for (const lane of this.lanes) this.open(lane);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const lane of this.lanes) {
      clearTimeout(lane.redeliveryTimer);
      clearTimeout(lane.subscribeTimer);
    }
    const [first] = this.lanes;
    if (first?.client?.connected) await this.publishStatus('offline');
    await Promise.all(this.lanes.map((lane) => lane.client?.endAsync()));
  }

  private open(lane: Lane): void {
    const offline = JSON.stringify({ status: 'offline', instance: this.instanceId });
    const client = connect(this.config.mqttUrl, {
      protocolVersion: 5,
      clientId: lane.clientId,
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
      ...(lane.index === 0
        ? { will: { topic: this.statusTopic, payload: Buffer.from(offline), qos: 1, retain: true } }
        : {}),
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
                lane.redeliveryDelayMs = REDELIVERY_BASE_MS;
              }
              return done(0);
            }
            done(new LeftForRedelivery());
            this.redeliverLater(lane);
          });
      },
    });
    lane.client = client;
    client.on('connect', (connack) => this.onConnect(lane, connack));
    // QoS 1 and 2 messages go through customHandleAcks; QoS 0 ones have no ack to hold back.
    client.on('message', (topic, payload, packet) => {
      if (packet.qos === 0)
        void this.ingest.handle(topic, payload, packet.properties?.userProperties);
    });
    client.on('close', () => this.onClose(lane));
    client.on('reconnect', () => this.logger.warn(`Reconnecting to the broker (${lane.clientId})`));
    client.on('error', (error) => {
      // mqtt.js emits errors on connection failures and for held-back acks; logging keeps us alive.
      if (!(error instanceof LeftForRedelivery)) this.logger.warn(error.message);
    });
  }

  private onConnect(lane: Lane, connack: IConnackPacket): void {
    const resumed = connack.sessionPresent;
    this.metrics.connects.inc({ session: resumed ? 'resumed' : 'new' });
    this.logger.log(
      `Connected to ${this.config.mqttUrl} as ${lane.clientId} (${resumed ? 'session resumed' : 'new session'})`,
    );
    if (lane.index === 0) void this.publishStatus('online');
    // Renewed even when the session was resumed: Mosquitto 2.0 restores a saved session's plain
    // subscriptions after a restart, but not its shared ones, while still answering sessionPresent.
    // Subscribing again to the same filter replaces the subscription; it never doubles it.
    void this.subscribe(lane);
  }

  private onClose(lane: Lane): void {
    lane.subscribed = false;
    this.metrics.connected.set({}, 0);
  }

  private async subscribe(lane: Lane): Promise<void> {
    clearTimeout(lane.subscribeTimer);
    const client = lane.client;
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
      this.logger.log(`Subscribed to ${filters.join(', ')} (${lane.clientId})`);
      lane.subscribed = true;
      if (this.connected) this.metrics.connected.set({}, 1);
    } catch (error) {
      this.logger.error(`Subscribing failed: ${(error as Error).message}; retrying`);
      lane.subscribeTimer = setTimeout(() => void this.subscribe(lane), SUBSCRIBE_RETRY_MS);
    }
  }

  /**
   * Brokers resend unacknowledged messages only when a session is resumed, so after a transient
   * failure the connection is closed cleanly (the session stays) and opened again; the delay
   * doubles (up to a minute) while failures continue and starts over once a readings message is
   * settled, so a full backlog costs one reconnect a minute, not a storm.
   */
  private redeliverLater(lane: Lane): void {
    if (lane.redeliveryTimer) return;
    // Jittered, so connections that failed together do not reconnect together.
    const delay = Math.round(lane.redeliveryDelayMs * (0.75 + 0.5 * Math.random()));
    lane.redeliveryDelayMs = Math.min(lane.redeliveryDelayMs * 2, REDELIVERY_MAX_MS);
    this.logger.warn(
      `Reconnecting ${lane.clientId} in ${(delay / 1000).toFixed(1)} s to have unacknowledged messages redelivered`,
    );
    lane.redeliveryTimer = setTimeout(() => {
      const client = lane.client;
      if (!client) return;
      client.end(false, {}, () => {
        lane.redeliveryTimer = undefined;
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
    await this.lanes[0]?.client
      ?.publishAsync(this.statusTopic, payload, { qos: 1, retain: true })
      .catch((error: Error) => this.logger.warn(`Status publish failed: ${error.message}`));
  }
}
